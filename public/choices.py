from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    ILLEGAL_POINT = "illegal_point", _("An illegal collection point")
    SITE_PROBLEM = "site_problem", _("A problem at a site")


class ReportState(models.TextChoices):
    """Where a report stands on the portal's side: in the township's queue, or held for the
    commerce bureau's review (over the township's daily cap), or turned down there."""

    FILED = "filed", pgettext_lazy("report state", "In the queue")
    HELD = "held", pgettext_lazy("report state", "Held for review")
    REJECTED = "rejected", pgettext_lazy("report state", "Turned down")


class ReportAction(models.TextChoices):
    REPLY = "reply", pgettext_lazy("report action", "Reply to the resident")
    MERGE = "merge", pgettext_lazy("report action", "Merge into an existing case")
    RELEASE = "release", pgettext_lazy("report action", "Release into the queue")
    REJECT = "reject", pgettext_lazy("report action", "Turn down")


class ReportActor(models.TextChoices):
    COMMERCE = "commerce", _("the commerce bureau")
    TOWNSHIP = "township", _("the report's township")


class PublicStatus(models.TextChoices):
    """What a resident sees of the case their report opened: three steps, nothing internal."""

    RECEIVED = "received", pgettext_lazy("report status", "Received")
    REGISTERED = "registered", pgettext_lazy("report status", "Case opened")
    CONCLUDED = "concluded", pgettext_lazy("report status", "Concluded")
