"""The public pages' data, cached in the default cache (production: the shared database
cache) under version keys. A change to a site bumps that site's version and the list's; a change
to an operator bumps its sites'; a change to the price board, materials or the territory bumps
the shared version, which every key carries. Keys also carry the language and the day (a
licence lapses at midnight). Nothing is ever deleted: old keys expire."""

import hashlib

from django.core.cache import cache
from django.utils import timezone, translation

from . import selectors

TIMEOUT = 60 * 60
LIST = "list"
SHARED = "shared"


def _version_key(name) -> str:
    return f"public:version:{name}"


def _versions(*names) -> str:
    keys = {_version_key(name): name for name in names}
    found = cache.get_many(list(keys))
    missing = {key: 1 for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return ".".join(str(found[key]) for key in keys)


def bump(*names) -> None:
    for name in names:
        key = _version_key(name)
        if not cache.add(key, 2, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 2, timeout=None)


def site_changed(site_id: int) -> None:
    bump(LIST, f"site:{site_id}")


def sites_changed(site_ids) -> None:
    bump(LIST, *(f"site:{site_id}" for site_id in site_ids))


def everything_changed() -> None:
    bump(SHARED)


def _prefix(*names) -> str:
    day = timezone.localdate().isoformat()
    return f"public:{translation.get_language()}:{day}:{_versions(SHARED, *names)}"


def cached_sites_page(*, query: str = "", near=None, page: int = 1) -> dict:
    """One page of the list (selectors.public_sites_page), keyed by the words, the rounded
    position and the page number."""
    asked = hashlib.sha256(f"{query}|{near or ''}|{page}".encode()).hexdigest()[:32]
    key = f"{_prefix(LIST)}:sites:{asked}"
    return cache.get_or_set(
        key,
        lambda: selectors.public_sites_page(query=query, near=near, page=page),
        timeout=TIMEOUT,
    )


def cached_site(pk: int) -> dict | None:
    key = f"{_prefix(f'site:{pk}')}:site:{pk}"
    found = cache.get(key)
    if found is None:
        found = selectors.public_site(pk=pk) or {}
        cache.set(key, found, timeout=TIMEOUT)
    return found or None


def cached_villages() -> list[dict]:
    return cache.get_or_set(f"{_prefix()}:villages", selectors.public_villages, timeout=TIMEOUT)


def cached_townships() -> list[dict]:
    return cache.get_or_set(f"{_prefix()}:townships", selectors.public_townships, timeout=TIMEOUT)
