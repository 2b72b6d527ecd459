"""The public face reads the registry through `selectors`; its own rows are residents'
reports (举报), each tied to the case it opened in the township's queue."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import is_county_admin, is_township_officer
from anji_recycling.models import LocatedModel, ScopedQuerySet
from anji_recycling.uploads import ParentPath
from anji_recycling.validators import validate_image_upload, validate_phone

from .choices import PublicStatus, ReportKind, ReportState


def new_tracking_number() -> str:
    return f"JB{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PublicReportQuerySet(ScopedQuerySet):
    """Reports (with the resident's words, phone and photos) are for the county office and the
    report's township only: agencies see the case, never the resident."""

    def visible_to(self, user):
        if is_county_admin(user):
            return self.all()
        if is_township_officer(user):
            return self.filter(township_id=user.township_id)
        return self.none()

    def editable_by(self, user):
        return self.visible_to(user)


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
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ReportState.choices,
        default=ReportState.FILED,
        editable=False,
    )
    reply = models.TextField(_("reply to the resident"), max_length=500, blank=True)
    reply_status = models.CharField(
        _("status told to the resident"), max_length=16, choices=PublicStatus.choices, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = PublicReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["township", "created_at"], name="report_township_day")]
        constraints = [
            models.CheckConstraint(
                name="report_in_queue_has_a_case",
                condition=~models.Q(state="filed") | models.Q(case__isnull=False),
                violation_error_message=_("A report in the queue belongs to a case."),
            ),
        ]

    def __str__(self):
        return self.tracking_number

    def get_absolute_url(self):
        return reverse("public:report-status", args=[self.token])


report_photo_path = ParentPath("public-reports", "report_id")


class PublicReportPhotoQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(report__in=PublicReport.objects.visible_to(user))

    def editable_by(self, user):
        return self.none()


class PublicReportPhoto(models.Model):
    """举报照片：居民随举报上传，私有存储，只有乡镇（街道）和商务局能看到。"""

    report = models.ForeignKey(
        PublicReport, verbose_name=_("public report"), on_delete=models.CASCADE,
        related_name="photos",
    )  # fmt: skip
    image = models.ImageField(
        _("photo"), upload_to=report_photo_path, validators=[validate_image_upload]
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = PublicReportPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.report} #{self.pk}"


class PublicReportingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.all() if is_county_admin(user) else self.none()

    def editable_by(self, user):
        return self.visible_to(user)


class PublicReporting(models.Model):
    """群众举报开关：商务局可暂停受理公众举报，并设每个乡镇（街道）每天进入案件队列的上限。"""

    is_open = models.BooleanField(_("public reporting open"), default=True)
    daily_cap = models.PositiveSmallIntegerField(
        _("reports a township receives a day"),
        default=30,
        help_text=_("Reports beyond it are held for the commerce bureau's review."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PublicReportingQuerySet.as_manager()

    class Meta:
        verbose_name = _("public reporting switch")
        verbose_name_plural = _("public reporting switch")
        constraints = [
            models.CheckConstraint(name="public_reporting_is_one_row", condition=models.Q(pk=1)),
            models.CheckConstraint(
                name="public_reporting_cap_at_least_one", condition=models.Q(daily_cap__gte=1)
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PublicReporting":
        found, _created = cls.objects.get_or_create(pk=1)
        return found
