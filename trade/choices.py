from django.db import models
from django.utils.translation import gettext_lazy as _

from sites.choices import SiteStatus, SiteTier

# The tier a site delivers to: a point to a station, a station to the centre.
DELIVERS_TO_TIER = {
    SiteTier.COLLECTION_POINT: SiteTier.TRANSFER_STATION,
    SiteTier.TRANSFER_STATION: SiteTier.SORTING_CENTRE,
}

# A site in one of these statuses trades no more (and never did, for an illegal point).
NOT_TRADING_STATUSES = frozenset({SiteStatus.BANNED, SiteStatus.CLOSED, SiteStatus.ILLEGAL})


class SellerTier(models.IntegerChoices):
    """Whose sale a reference price is for: the front end (points) or the stations."""

    COLLECTION_POINT = SiteTier.COLLECTION_POINT, _("Collection point sells to its station")
    TRANSFER_STATION = SiteTier.TRANSFER_STATION, _("Station sells to the centre")


class TransferState(models.TextChoices):
    OPEN = "open", _("Not settled")
    SETTLED = "settled", _("Settled")


class TransferAction(models.TextChoices):
    RECORD = "record", _("Record a transfer")
    CORRECT = "correct", _("Correct the transfer")


class SettlementState(models.TextChoices):
    UNPAID = "unpaid", _("Not paid")
    PAID = "paid", _("Paid")


class SettlementAction(models.TextChoices):
    RECORD = "record", _("Settle transfers")
    PAY = "pay", _("Record the payment")


class Actor(models.TextChoices):
    """How a user stands to a transfer or a settlement."""

    COMMERCE = "commerce", _("the commerce bureau")
    RECEIVER_TOWNSHIP = "receiver_township", _("the receiving site's township")
    SENDER_TOWNSHIP = "sender_township", _("the delivering site's township")


class BalanceFlagKind(models.TextChoices):
    OVER_FORWARDED = "over_forwarded", _("Sent on more than it received and held")
    IDLE_POINT = "idle_point", _("Operating point that has not delivered")
    OVER_CAPACITY = "over_capacity", _("Stock beyond the declared capacity")
