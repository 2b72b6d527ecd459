"""Recovery per resident (人均回收量): the kilograms the collection points of each township
delivered in a period, divided by the township's population of the latest year entered up to
the period's last year (agencies.TownshipPopulation). A township without one shows 未录入人口.
One query: the townships the user works on, each with its period's sum and its population."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from agencies.models import Township, TownshipPopulation
from sites.choices import SiteTier

from .choices import SellerTier
from .models import Transfer

KG_PER_RESIDENT = Decimal("0.01")


@dataclass(frozen=True)
class TownshipRecovery:
    township_id: int
    name: str
    weight_kg: Decimal
    population: int | None
    population_year: int | None
    population_source: str
    url: str  # the transfers behind the figure

    @property
    def kg_per_resident(self) -> Decimal | None:
        if not self.population:
            return None
        per_resident = self.weight_kg / Decimal(self.population)
        return per_resident.quantize(KG_PER_RESIDENT, rounding=ROUND_HALF_UP)


def recovery_per_resident(*, user, start: dt.date, end: dt.date) -> list[TownshipRecovery]:
    """Per township the user works on (all for the county, its own for a township): the
    collection points' kilograms delivered from `start` to `end` and the population."""
    delivered = (
        Transfer.objects.visible_to(user)
        .filter(
            transferred_on__gte=start,
            transferred_on__lte=end,
            from_site__tier=SiteTier.COLLECTION_POINT,
            from_site__township=OuterRef("pk"),
        )
        .order_by()
        .values("from_site__township")
        .annotate(total=Sum("weight_kg"))
        .values("total")
    )
    latest = TownshipPopulation.objects.filter(
        township=OuterRef("pk"), year__lte=end.year
    ).order_by("-year")
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    rows = (
        Township.objects.in_territory_of(user)
        .annotate(
            weight_kg=Coalesce(Subquery(delivered), zero),
            population=Subquery(latest.values("population")[:1]),
            population_year=Subquery(latest.values("year")[:1]),
            population_source=Subquery(latest.values("source")[:1]),
        )
        .order_by("code")
        .values("pk", "name", "weight_kg", "population", "population_year", "population_source")
    )
    period = {
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "tier": SellerTier.COLLECTION_POINT,
    }
    return [
        TownshipRecovery(
            township_id=row["pk"],
            name=row["name"],
            weight_kg=row["weight_kg"],
            population=row["population"],
            population_year=row["population_year"],
            population_source=row["population_source"] or "",
            url=f"{reverse('trade:transfer-list')}?{urlencode({**period, 'township': row['pk']})}",
        )
        for row in rows
    ]
