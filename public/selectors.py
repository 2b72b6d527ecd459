"""What the public may read: the only door from the public pages and API to the registry.

Every row is built here from a whitelist of columns (`values()`), never from a model instance
handed to a template or serializer, so a field added to the registry later stays private until
it is named below. Shown: operating sites only (no planned, rectifying, suspended, banned,
closed or illegal points), with name, number, tier, township, village, address, opening
hours, venue type, position, materials, the operator's registered name and whether it holds a
valid licence.
Never: phones, contact persons, ID or credit codes, legal representatives, notes, photos,
inspections, cases, staff. An individual business (个体工商户) is named only by the surname of
its legal representative: 张** (`operator_placeholder`).
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.geojson import villages_feature_collection
from agencies.models import Township, Village
from inspections.choices import CaseStatus
from sites.choices import OperatorKind, SiteStatus, SiteTier, VenueType
from sites.models import Site
from trade.choices import SellerTier
from trade.models import PriceEntry

from .choices import PublicStatus, ReportState
from .models import PublicReport

PUBLIC_STATUSES = (SiteStatus.OPERATING,)

SITE_COLUMNS = (
    "pk",
    "code",
    "name",
    "tier",
    "venue_type",
    "address",
    "opening_hours",
    "latitude",
    "longitude",
    "township__name",
    "village__short_name",
    "operator__kind",
    "operator__name",
    "operator__legal_representative",
    "operator__licence_issued_on",
    "operator__licence_valid_until",
)


def operator_placeholder(legal_representative: str) -> str:
    """An individual business as the public sees it: the first character (the surname, for
    the usual one-character surnames) and two stars, 张**; 个体工商户 when no name is known."""
    name = (legal_representative or "").strip()
    if not name:
        return _("Individual business")
    return f"{name[0]}**"


def _licensed(issued_on, valid_until, today) -> bool:
    return issued_on is not None and (valid_until is None or valid_until >= today)


def _public_row(row: dict, materials: dict, today: dt.date) -> dict:
    kind = row["operator__kind"]
    if kind is None:
        operator_name, licensed = "", None
    elif kind == OperatorKind.INDIVIDUAL:
        operator_name = operator_placeholder(row["operator__legal_representative"])
        licensed = _licensed(
            row["operator__licence_issued_on"], row["operator__licence_valid_until"], today
        )
    else:
        operator_name = row["operator__name"]
        licensed = _licensed(
            row["operator__licence_issued_on"], row["operator__licence_valid_until"], today
        )
    has_position = row["latitude"] is not None and row["longitude"] is not None
    return {
        "id": row["pk"],
        "code": row["code"],
        "name": row["name"],
        "tier": row["tier"],
        "tier_label": str(SiteTier(row["tier"]).label),
        "township": row["township__name"],
        "village": row["village__short_name"] or "",
        "venue_type": str(VenueType(row["venue_type"]).label) if row["venue_type"] else "",
        "address": row["address"],
        "opening_hours": row["opening_hours"],
        "latitude": float(row["latitude"]) if has_position else None,
        "longitude": float(row["longitude"]) if has_position else None,
        "materials": materials.get(row["pk"], []),
        "operator_name": operator_name,
        "operator_kind": str(OperatorKind(kind).label) if kind else "",
        "licensed": licensed,
        "url": reverse("public:site", args=[row["pk"]]),
    }


def _materials_by_site(site_ids) -> dict[int, list[str]]:
    through = Site.materials.through.objects.filter(site_id__in=site_ids).order_by(
        "site_id", "material__sort_order", "material__code"
    )
    found: dict[int, list[str]] = {}
    for site_id, name in through.values_list("site_id", "material__name"):
        found.setdefault(site_id, []).append(name)
    return found


def _public_queryset():
    return Site.objects.filter(status__in=PUBLIC_STATUSES)


PAGE_SIZE = 20
MAX_WORDS = 5


@dataclass(frozen=True)
class Near:
    """The resident's position for 离我最近, rounded to 3 decimals (about 100 m) before it
    leaves the phone; never stored."""

    latitude: float
    longitude: float

    @classmethod
    def parse(cls, text: str) -> "Near | None":
        """`30.631,119.681` (WGS-84) or None for anything else."""
        try:
            lat, lng = (round(float(part), 3) for part in text.split(","))
        except (TypeError, ValueError):
            return None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            return None
        return cls(lat, lng)

    def __str__(self):
        return f"{self.latitude:.3f},{self.longitude:.3f}"


def _searched(queryset, query: str):
    """Every word in the name, township, village or address (at most MAX_WORDS words)."""
    for word in query.split()[:MAX_WORDS]:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(township__name__icontains=word)
            | Q(village__name__icontains=word)
            | Q(village__short_name__icontains=word)
            | Q(address__icontains=word)
        )
    return queryset


def _nearest_first(queryset, near: Near):
    """Ordered by distance in SQL: the squared equirectangular distance (longitude scaled by
    the cosine of the resident's latitude), which orders like the great-circle distance at a
    county's scale; sites without a position last."""
    scale = math.cos(math.radians(near.latitude))
    lat = Cast("latitude", FloatField()) - Value(near.latitude)
    lng = (Cast("longitude", FloatField()) - Value(near.longitude)) * Value(scale)
    return queryset.annotate(
        distance=ExpressionWrapper(lat * lat + lng * lng, output_field=FloatField())
    ).order_by(F("distance").asc(nulls_last=True), "code")


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance, for the label next to a site."""
    dlat, dlng = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def public_sites_page(
    *, query: str = "", near: Near | None = None, page=1, today: dt.date | None = None
) -> dict:
    """One page (PAGE_SIZE rows) of operating sites as the public sees it, searched and, with
    a position, nearest first: three queries (count, rows, materials) whatever their number.
    {"sites": [...], "count", "page", "num_pages"}; a page past the end is the last."""
    today = today or timezone.localdate()
    queryset = _searched(_public_queryset(), query)
    if near is None:
        queryset = queryset.order_by("township__code", "tier", "code")
    else:
        queryset = _nearest_first(queryset, near)
    paginator = Paginator(queryset.values(*SITE_COLUMNS), PAGE_SIZE)
    found = paginator.get_page(page)
    rows = list(found.object_list)
    materials = _materials_by_site([row["pk"] for row in rows])
    sites = [_public_row(row, materials, today) for row in rows]
    if near is not None:
        for site in sites:
            if site["latitude"] is not None:
                site["distance_km"] = round(
                    distance_km(near.latitude, near.longitude, site["latitude"], site["longitude"]),
                    1,
                )
    return {
        "sites": sites,
        "count": paginator.count,
        "page": found.number,
        "num_pages": paginator.num_pages,
    }


def public_site(*, pk: int, today: dt.date | None = None) -> dict | None:
    """One operating site as the public sees it, with the board's current reference prices
    for its materials; None when the site is not public."""
    today = today or timezone.localdate()
    row = _public_queryset().filter(pk=pk).values(*SITE_COLUMNS).first()
    if row is None:
        return None
    materials = _materials_by_site([pk])
    site = _public_row(row, materials, today)
    site["prices"] = reference_prices(site_id=pk, tier=row["tier"], on=today)
    return site


def board_tier_for(tier: int) -> int:
    """Whose sale the prices on a site's page are for: the centre buys from stations; a
    station buys from points, and a point's own sale is the front end's reference."""
    if tier == SiteTier.SORTING_CENTRE:
        return SellerTier.TRANSFER_STATION
    return SellerTier.COLLECTION_POINT


def reference_prices(*, site_id: int, tier: int, on: dt.date) -> list[dict]:
    """The price board in force on a day for the site's materials: per material and grade,
    its latest entry. One query."""
    entries = (
        PriceEntry.objects.filter(
            seller_tier=board_tier_for(tier),
            effective_from__lte=on,
            material__in=Site.materials.through.objects.filter(site_id=site_id).values(
                "material_id"
            ),
        )
        .order_by(
            "material__sort_order",
            "material_id",
            "grade__sort_order",
            "grade_id",
            "-effective_from",
        )
        .values(
            "material_id", "grade_id", "material__name", "grade__name", "price", "effective_from"
        )
    )
    board, seen = [], set()
    for entry in entries:
        key = (entry["material_id"], entry["grade_id"])
        if key in seen:
            continue
        seen.add(key)
        board.append(
            {
                "material": entry["material__name"],
                "grade": entry["grade__name"] or "",
                "price": entry["price"],
                "effective_from": entry["effective_from"],
            }
        )
    return board


def public_townships() -> list[dict]:
    """Township names and centres, for the map's plain background."""
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "latitude": float(row["latitude"]) if row["latitude"] is not None else None,
            "longitude": float(row["longitude"]) if row["longitude"] is not None else None,
        }
        for row in Township.objects.order_by("code").values("code", "name", "latitude", "longitude")
    ]


def public_villages() -> list[dict]:
    """The county's current villages as GeoJSON features with only their public reference
    fields (agencies/geojson.py: code, names, kind, township, centre)."""
    villages = Village.objects.filter(is_active=True).select_related("township").order_by("code")
    return villages_feature_collection(villages, public=True)["features"]


def sites_feature_collection(sites: list[dict]) -> dict:
    """GeoJSON for the public map ([longitude, latitude], WGS-84), sites with a position."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": site["id"],
                "geometry": {"type": "Point", "coordinates": [site["longitude"], site["latitude"]]},
                "properties": {
                    "code": site["code"],
                    "name": site["name"],
                    "tier": site["tier"],
                    "tier_label": site["tier_label"],
                    "status": SiteStatus.OPERATING.value,
                    "status_label": str(SiteStatus.OPERATING.label),
                    "township": site["township"],
                    "address": site["address"],
                    "url": site["url"],
                },
            }
            for site in sites
            if site["latitude"] is not None
        ],
    }


STEPS = (PublicStatus.RECEIVED, PublicStatus.REGISTERED, PublicStatus.CONCLUDED)


def public_status(case_status: str | None, *, state: str = "filed", reply_status: str = "") -> str:
    """The three steps a resident sees: 已受理 until the township opens the case (or while
    the report is held), 已立案 while it is handled, 已办结 once closed, not opened or turned
    down; the township's reply moves it on, never back."""
    if state == ReportState.REJECTED:
        derived = PublicStatus.CONCLUDED
    elif case_status in (None, CaseStatus.REPORTED):
        derived = PublicStatus.RECEIVED
    elif case_status in (CaseStatus.CLOSED, CaseStatus.DISMISSED):
        derived = PublicStatus.CONCLUDED
    else:
        derived = PublicStatus.REGISTERED
    if reply_status in STEPS and STEPS.index(reply_status) > STEPS.index(derived):
        return PublicStatus(reply_status)
    return derived


def report_for_tracking(*, token: str) -> dict | None:
    """What the tracking page shows: the number, when, what kind, the public status and the
    township's reply. A merged report follows the case it joined."""
    row = (
        PublicReport.objects.filter(token=token)
        .values(
            "tracking_number",
            "created_at",
            "kind",
            "category__name",
            "case__status",
            "state",
            "reply",
            "reply_status",
            "replied_at",
        )  # fmt: skip
        .first()
    )
    if row is None:
        return None
    return {
        "tracking_number": row["tracking_number"],
        "created_at": row["created_at"],
        "kind": row["kind"],
        "category": row["category__name"],
        "status": public_status(
            row["case__status"], state=row["state"], reply_status=row["reply_status"]
        ),
        "reply": row["reply"],
        "replied_at": row["replied_at"],
    }


NEARBY_DEGREES = 0.003  # about 330 m north-south (longitude scaled below)
OPEN_CASE = ~Q(case__status__in=[CaseStatus.CLOSED, CaseStatus.DISMISSED])


def nearby_open_reports(*, category_id, site_id=None, latitude=None, longitude=None) -> int:
    """How many open reports of the same problem there are at the same site or within about
    300 m (a bounding box, one query): the form's 附近已有人反映."""
    reports = PublicReport.objects.filter(
        category_id=category_id, state__in=[ReportState.FILED, ReportState.HELD]
    ).filter(OPEN_CASE | Q(case__isnull=True))
    if site_id:
        return reports.filter(site_id=site_id).count()
    if latitude is None or longitude is None:
        return 0
    lat, lng = float(latitude), float(longitude)
    dlng = NEARBY_DEGREES / max(math.cos(math.radians(lat)), 0.1)
    return reports.filter(
        latitude__range=(lat - NEARBY_DEGREES, lat + NEARBY_DEGREES),
        longitude__range=(lng - dlng, lng + dlng),
    ).count()


def reports_for_queue(*, user):
    """The public reports a township (or the county office) works on, with what the list
    shows, in a fixed number of queries."""
    return (
        PublicReport.objects.visible_to(user)
        .select_related("township", "category", "case", "site")
        .prefetch_related("photos")
    )


def township_sites_for_placards(*, township_id: int, today: dt.date | None = None):
    """Every operating site of a township as the placard shows it, read a chunk at a time
    (two queries a chunk): a township's placards never sit in memory together."""
    today = today or timezone.localdate()
    rows = (
        _public_queryset()
        .filter(township_id=township_id)
        .order_by("tier", "code")
        .values(*SITE_COLUMNS)
    )
    chunk = []
    for row in rows.iterator(chunk_size=PLACARD_CHUNK):
        chunk.append(row)
        if len(chunk) == PLACARD_CHUNK:
            yield from _rows_with_materials(chunk, today)
            chunk = []
    yield from _rows_with_materials(chunk, today)


PLACARD_CHUNK = 50


def _rows_with_materials(rows: list[dict], today: dt.date) -> list[dict]:
    materials = _materials_by_site([row["pk"] for row in rows])
    return [_public_row(row, materials, today) for row in rows]
