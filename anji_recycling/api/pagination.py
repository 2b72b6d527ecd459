from rest_framework.pagination import LimitOffsetPagination


class PortalPagination(LimitOffsetPagination):
    """`?limit=&offset=` pages of at most MAX_LIMIT rows: a larger limit gets MAX_LIMIT rows, a
    limit that is not a positive whole number gets the default page, an offset past the end an
    empty page (never a database error)."""

    MAX_LIMIT = 500
    max_limit = MAX_LIMIT
