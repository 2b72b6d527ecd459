"""The portal as an installable web app (README “手机离线上报”): the manifest, the service
worker served from the site's root (so that its scope is the whole portal), and the page it
shows for an address it has not kept when the phone is offline.

The worker itself is templates/pwa/sw.js; static/js/pwa.js registers it, keeps the grid
worker's patrol pages for offline use and holds the reports filed offline until they are sent."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOR = "#1f5fa8"
ICON_SIZES = (192, 512)


@cache
def worker_version() -> str:
    """Changes when the worker or the page scripts it keeps change: a new worker is installed
    and the old caches are dropped."""
    digest = hashlib.sha256()
    for path in (
        Path(settings.BASE_DIR) / "templates" / "pwa" / "sw.js",
        Path(settings.BASE_DIR) / "static" / "js" / "pwa.js",
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "name": _("Anji Recycling Management Portal"),
        "short_name": _("Anji recycling"),
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """At /sw.js, so its scope is "/" (a worker's scope is at most its own folder)."""
    response = render(
        request,
        "pwa/sw.js",
        {"version": worker_version(), "offline_url": "/offline/"},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """What the worker shows for a page it has not kept while the phone is offline."""
    return render(request, "pwa/offline.html")
