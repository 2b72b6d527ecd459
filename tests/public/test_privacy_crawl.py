"""THE privacy crawl: every public URL (from the public URLconf and the public API, with every
site's id, and every link followed from /public/) answered for a fully filled registry, in
both languages; none of the private values may appear, no answer may be a 500 or set a
cookie."""

import html
import json
import re
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, reverse

from public import urls as public_urls
from public.api import urls as public_api_urls
from public.models import PublicReport
from sites.models import Site

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("/public/", "/api/v1/public/")
REPORT_FORM = "/public/report/"
LINK = re.compile(r'(?:href|src|data-geojson|data-townships)="([^"]+)"')


def _urls_from_urlconf() -> set[str]:
    """Every route of the public pages and the public API, each id-taking route with the id of
    every site in the registry (the private ones too: they must answer 404)."""
    found = set()
    pairs = [(pattern, "public") for pattern in public_urls.urlpatterns]
    pairs += [(pattern, "api") for pattern in public_api_urls.paths]
    site_ids = list(Site.objects.values_list("pk", flat=True))
    tokens = list(PublicReport.objects.values_list("token", flat=True))
    for pattern, namespace in pairs:
        assert isinstance(pattern, URLPattern)
        name = f"{namespace}:{pattern.name}"
        if "pk" in pattern.pattern.converters:
            found |= {reverse(name, kwargs={"pk": pk}) for pk in site_ids}
            found |= {f"{reverse('public:report')}?site={pk}" for pk in site_ids}
        elif "token" in pattern.pattern.converters:
            found |= {reverse(name, kwargs={"token": token}) for token in tokens}
        else:
            found.add(reverse(name))
    return found


def _links(response) -> set[str]:
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        texts = re.findall(r'"(?:url|next|previous)":\s*"([^"]+)"', body)
    else:
        texts = [html.unescape(link) for link in LINK.findall(body)]
    links = set()
    for text in texts:
        url = urlparse(urljoin("http://testserver/public/", text))
        if url.netloc == "testserver" and url.path.startswith(PUBLIC_PREFIXES):
            links.add(url.path + (f"?{url.query}" if url.query else ""))
    return links


def crawl(client, start) -> dict[str, object]:
    seen, queue = {}, list(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code == 200:
            queue.extend(_links(response) - set(seen))
    return seen


def _searches(world) -> set[str]:
    """Searching for private sites by name, address or number shows nothing of them either."""
    words = ["马家", "河边", "规划", "整改", *(site.code for site in world.private_sites)]
    return {f"/public/?q={word}" for word in words} | {
        f"/api/v1/public/sites/?q={word}" for word in words
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_public_url_shows_a_private_value(public_world, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    responses = crawl(client, {"/public/", *_urls_from_urlconf(), *_searches(public_world)})

    # The crawl reached the pages and API resources of every public site.
    for site in public_world.public_sites:
        assert responses[reverse("public:site", args=[site.pk])].status_code == 200
        assert responses[reverse("api:public-site-detail", args=[site.pk])].status_code == 200
    assert reverse("api:public-site-geojson") in responses
    assert reverse("api:public-township-list") in responses
    villages = responses[reverse("api:public-village-list")]
    assert villages.status_code == 200 and len(villages.json()["features"]) > 100
    assert len(responses) >= 20
    token = PublicReport.objects.get().token
    assert responses[reverse("public:report-status", args=[token])].status_code == 200

    leaks = {}
    for url, response in responses.items():
        assert response.status_code in (200, 404), (url, response.status_code)
        if not url.startswith(REPORT_FORM):  # its form needs a CSRF token (a cookie)
            assert not response.cookies, url
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            body += json.dumps(response.json(), ensure_ascii=False)  # \\u escapes decoded
        body = unquote(html.unescape(body))  # the navigation links are URL-encoded
        # A search page repeats the resident's own words (in the box): not a leak of them.
        typed = parse_qs(urlparse(url).query).get("q", [""])[0]
        found = [v for v in public_world.private_values if v != typed and v in body]
        if found:
            leaks[url] = found
    assert leaks == {}


def test_the_crawl_would_catch_a_leak(public_world):
    """The check itself: the private values are in the registry, and a page that printed one
    would be caught (the staff site page shows the contact phone)."""
    staff = Client()
    from tests.factories import make_user

    staff.force_login(make_user("commerce_admin", agency_code="commerce"))
    point = public_world.public_sites[0]
    body = staff.get(reverse("sites:site-detail", args=[point.pk])).content.decode()
    assert "13700002222" in body and "赵小红" in body
    assert "13700002222" in public_world.private_values
