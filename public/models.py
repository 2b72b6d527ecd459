"""The public face reads the registry through `selectors`; its own rows are residents'
reports (举报), each tied to the case it opened in the township's queue."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import LocatedModel
from anji_recycling.validators import validate_phone

from .choices import ReportKind


def new_tracking_number() -> str:
    return f"JB{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PublicReport(LocatedModel):
    """群众举报：居民不登录提交的非法点位或站点问题，带查询编号，进入乡镇（街道）的案件队列。"""

    tracking_number = models.CharField(
        _("tracking number"), max_length=20, unique=True, default=new_tracking_number
    )
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kind = models.CharField(_("what is reported"), max_length=16, choices=ReportKind.choices)
    township = models.ForeignKey(
        "agencies.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "agencies.ProblemCategory",
        verbose_name=_("problem category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_reports",
    )
    place = models.CharField(_("where"), max_length=200)
    description = models.TextField(_("description"), max_length=1000)
    phone = models.CharField(
        _("phone (optional)"), max_length=20, blank=True, validators=[validate_phone]
    )
    case = models.ForeignKey(
        "inspections.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="public_reports",
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.tracking_number

    def get_absolute_url(self):
        return reverse("public:report-status", args=[self.token])
