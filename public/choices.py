from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    ILLEGAL_POINT = "illegal_point", _("An illegal collection point")
    SITE_PROBLEM = "site_problem", _("A problem at a site")


class PublicStatus(models.TextChoices):
    """What a resident sees of the case their report opened: three steps, nothing internal."""

    RECEIVED = "received", pgettext_lazy("report status", "Received")
    REGISTERED = "registered", pgettext_lazy("report status", "Case opened")
    CONCLUDED = "concluded", pgettext_lazy("report status", "Concluded")
