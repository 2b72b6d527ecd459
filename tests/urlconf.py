"""The portal's pages, read from the URLconf: every named URL outside the admin and the API,
with the names of the arguments it takes."""

from django.urls import URLPattern, URLResolver, get_resolver

# The admin has its own round-trip tests, the API its own; neither is a portal page.
SKIPPED_NAMESPACES = ("admin", "api")


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def named_urls() -> dict[str, tuple[str, ...]]:
    """Every named portal URL and the names of its arguments, in URLconf order."""
    urls = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("api-") or name in urls:
            continue
        urls[name] = tuple(getattr(pattern.pattern, "converters", {}))
    return urls
