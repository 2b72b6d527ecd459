"""The portal's own middleware: Chinese first (the portal speaks Simplified Chinese unless the
user picked English), NUL refused in queries, sessions that end when idle."""

import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Like Django's LocaleMiddleware, but a browser's Accept-Language never overrides the
    county's language; only the language switch (its cookie) does."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulInQueryMiddleware:
    """A NUL character in a query parameter (`?q=%00`) is refused with 400 before any view
    reads it: PostgreSQL cannot compare text with NUL, and a search would answer 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            from django.http import HttpResponseBadRequest
            from django.utils.translation import gettext

            return HttpResponseBadRequest(
                gettext("The link holds an invalid character (NUL): correct it and try again."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds without a request. Django's
    SESSION_SAVE_EVERY_REQUEST would write the session row on every page and API call (an
    UPDATE each); this writes it only when its last write is SESSION_REFRESH_SECONDS old, so
    a session ends between SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE
    after the last request. Placed right after SessionMiddleware, which saves what it marks."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        if session.session_key is None:
            # Signed in by an API token, not by a log-in: there is no session to keep alive,
            # and writing one would make a session row per API call.
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response

    @classmethod
    def mark_fresh(cls, session) -> None:
        """A session just written by the log-in counts as refreshed now: the first page after
        logging in does not write it again."""
        session[cls.KEY] = int(time.time())
