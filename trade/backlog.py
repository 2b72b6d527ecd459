"""The settlement backlog per township (结算积压): transfers delivered before the allowed days
and not yet settled, counted by the township of the site that pays for them. The receiving
site pays (Settlement.payer is the transfer's to_site), so a point's sale counts in its
station's township and a station's sale in the sorting centre's. One GROUP BY over the
transfers the user sees, limited to the townships the user works on; each row links to the
transfer list filtered to exactly its transfers."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from agencies.models import Township

from .models import Transfer


@dataclass(frozen=True)
class TownshipBacklog:
    township_id: int
    name: str
    count: int
    amount: Decimal
    url: str  # the transfer list showing these transfers


def unsettled_by_township(*, user, before: dt.date) -> list[TownshipBacklog]:
    """Per paying township (its own only for a township officer): the transfers delivered
    before `before` still unsettled, their number and amount (元)."""
    rows = (
        Transfer.objects.visible_to(user)
        .filter(
            settlement__isnull=True,
            transferred_on__lt=before,
            to_site__township__in=Township.objects.in_territory_of(user),
        )
        .values("to_site__township", "to_site__township__name", "to_site__township__code")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("to_site__township__code")
    )
    query = {"settled": "false", "date_to": (before - dt.timedelta(days=1)).isoformat()}
    return [
        TownshipBacklog(
            township_id=row["to_site__township"],
            name=row["to_site__township__name"],
            count=row["count"],
            amount=row["amount"],
            url=f"{reverse('trade:transfer-list')}?"
            + urlencode({**query, "paying_township": row["to_site__township"]}),
        )
        for row in rows
    ]
