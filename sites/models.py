"""The three-tier recycling network: operators, sites, their status history and photos."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_county_admin,
    is_supply_coop,
    is_township_officer,
    township_scope,
)
from agencies.models import CountyDataQuerySet
from anji_recycling.leases import LeasedWork
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel
from anji_recycling.uploads import ParentPath
from anji_recycling.validators import validate_credit_code, validate_phone, validate_position

from .choices import UNREGISTERED_STATUSES, OperatorKind, SiteStatus, SiteTier, VenueType

FILING_DEADLINE_DAYS = 30  # 《再生资源回收管理办法》: file within 30 days of the licence


def _township_scoped(queryset, user, field):
    if not has_role(user):
        return queryset.none()
    township_id = township_scope(user)
    if township_id is None:
        return queryset
    return queryset.filter(**{field: township_id})


def _township_editable(queryset, user, field):
    if is_county_admin(user):
        return queryset
    if is_township_officer(user):
        return queryset.filter(**{field: user.township_id})
    return queryset.none()


class Material(models.Model):
    """回收品类：废钢铁、废纸、废塑料等。"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class OperatorQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A township's own operators for its staff; the co-op's enterprises for the co-op;
        the county for everyone else with a role."""
        if is_supply_coop(user):
            return self.filter(is_coop_enterprise=True)
        return _township_scoped(self, user, "township_id")

    def editable_by(self, user):
        return _township_editable(self, user, "township_id")


class Operator(TimeStampedModel):
    """经营主体：从事再生资源回收的企业或个体工商户。"""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OperatorKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20, validators=[validate_phone])
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="operators",
    )
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_valid_until = models.DateField(
        _("licence valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a licence without term."),
    )
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True)
    filed_on = models.DateField(_("filed with the commerce bureau on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Measures (二) and 二(二): the co-op's own enterprises, leading enterprises the county
    # fosters, and third-party operators of government-built sites under a contract.
    is_coop_enterprise = models.BooleanField(
        _("enterprise of the supply and marketing co-op"), default=False
    )
    is_leading_enterprise = models.BooleanField(_("leading enterprise"), default=False)
    is_third_party_operator = models.BooleanField(_("third-party operator"), default=False)
    contract_starts_on = models.DateField(_("operating contract from"), null=True, blank=True)
    contract_ends_on = models.DateField(_("operating contract until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OperatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["township__code", "name"]
        constraints = [
            models.CheckConstraint(
                name="operator_licence_ends_after_issue",
                condition=Q(licence_valid_until__isnull=True)
                | Q(licence_issued_on__isnull=True)
                | Q(licence_valid_until__gte=models.F("licence_issued_on")),
                violation_error_message=_("A licence cannot expire before it is issued."),
            ),
            models.CheckConstraint(
                name="operator_contract_ends_after_start",
                condition=Q(contract_ends_on__isnull=True)
                | Q(contract_starts_on__isnull=True)
                | Q(contract_ends_on__gte=models.F("contract_starts_on")),
                violation_error_message=_("An operating contract cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:operator-detail", args=[self.pk])

    def clean(self):
        """The check constraints' rules too, on their fields, so that a caller may validate
        without the query Django would send per constraint (the import's check step)."""
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        errors = {}
        issued, until = self.licence_issued_on, self.licence_valid_until
        if issued and until and until < issued:
            errors["licence_valid_until"] = _("A licence cannot expire before it is issued.")
        starts, ends = self.contract_starts_on, self.contract_ends_on
        if starts and ends and ends < starts:
            errors["contract_ends_on"] = _("An operating contract cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def filing_due_on(self) -> dt.date | None:
        if self.licence_issued_on is None:
            return None
        return self.licence_issued_on + dt.timedelta(days=FILING_DEADLINE_DAYS)

    @property
    def is_filing_overdue(self) -> bool:
        due = self.filing_due_on
        return due is not None and self.filed_on is None and due < timezone.localdate()


class SiteQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return _township_scoped(self, user, "township_id")

    def editable_by(self, user):
        return _township_editable(self, user, "township_id")


class Site(LocatedModel, TimeStampedModel):
    """回收站点：县级分拣中心、乡镇（街道）中转分拣站或三级回收网点，以及巡查发现的非法点位。"""

    code = models.CharField(_("site number"), max_length=32, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=SiteTier.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=SiteStatus.choices, default=SiteStatus.PLANNED
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    village = models.ForeignKey(
        "agencies.Village",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
    )
    venue_type = models.CharField(
        _("venue type"), max_length=16, choices=VenueType.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=200)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("delivers to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("A collection point delivers to a transfer station; a station to the centre."),
    )
    materials = models.ManyToManyField(Material, verbose_name=_("materials"), blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    daily_capacity = models.DecimalField(
        _("daily capacity (t)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=100,
        blank=True,
        help_text=_("As residents should read it, e.g. 每天 8:00–17:00，周一休息. Shown publicly."),
    )
    dual_use = models.BooleanField(
        _("one site, two uses"),
        default=False,
        help_text=_("Also a garbage-classification transfer station (一场两用)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["township__code", "tier", "code"]
        indexes = [models.Index(fields=["tier", "status"], name="site_tier_status")]
        constraints = [
            models.CheckConstraint(
                name="site_venue_type_only_for_collection_points",
                # A trading market (run by the co-op's enterprises) may be at any tier.
                condition=Q(tier=3) | Q(venue_type="") | Q(venue_type="trading_market"),
                violation_error_message=_("Only a collection point has a venue type."),
            ),
            models.CheckConstraint(
                name="site_sorting_centre_has_no_parent",
                condition=~Q(tier=1) | Q(parent__isnull=True),
                violation_error_message=_("The county sorting centre delivers to no other site."),
            ),
            models.CheckConstraint(
                name="site_position_in_anji",
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=30.2)
                    & Q(latitude__lte=30.9)
                    & Q(longitude__gte=119.2)
                    & Q(longitude__lte=119.9)
                ),
                violation_error_message=_("The position lies outside Anji County."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）" if self.code else self.name

    def get_absolute_url(self):
        return reverse("sites:site-detail", args=[self.pk])

    def clean(self):
        errors = {}
        try:
            validate_position(self.latitude, self.longitude)
        except ValidationError as error:
            errors["latitude"] = error.messages
        if self.village_id and self.township_id and self.village.township_id != self.township_id:
            errors["village"] = _("%(village)s is not in %(township)s.") % {
                "village": self.village,
                "township": self.township,
            }
        registered = self.status not in UNREGISTERED_STATUSES
        if self.tier == SiteTier.COLLECTION_POINT and registered and not self.village_id:
            errors["village"] = _("A collection point lies in a village or community.")
        if self.tier != SiteTier.COLLECTION_POINT and self.venue_type not in (
            "",
            VenueType.TRADING_MARKET,
        ):
            errors["venue_type"] = _("Only a collection point has a venue type.")
        if self.parent_id:
            errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self):
        if self.parent_id == self.pk:
            return {"parent": _("A site cannot deliver to itself.")}
        expected = {
            SiteTier.COLLECTION_POINT: SiteTier.TRANSFER_STATION,
            SiteTier.TRANSFER_STATION: SiteTier.SORTING_CENTRE,
        }.get(self.tier)
        if expected is None:
            return {"parent": _("The county sorting centre delivers to no other site.")}
        if self.parent.tier != expected:
            return {
                "parent": _("A %(tier)s delivers to a %(expected)s, not to a %(actual)s.")
                % {
                    "tier": SiteTier(self.tier).label,
                    "expected": SiteTier(expected).label,
                    "actual": SiteTier(self.parent.tier).label,
                }
            }
        return {}


class SiteStatusChange(models.Model):
    """站点状态变更记录：谁、何时、从何状态到何状态、原因。"""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        pgettext_lazy("status", "from"), max_length=24, choices=SiteStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=SiteStatus.choices)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("What caused the change, such as an enforcement case."),
    )

    class Meta:
        verbose_name = _("site status change")
        verbose_name_plural = _("site status changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.site}: {self.from_status} → {self.to_status}"


site_photo_path = ParentPath("sites", "site_id")


class SitePhoto(models.Model):
    """站点照片。"""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=site_photo_path)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return reverse("sites:photo-file", args=[self.pk])


class CoverageTarget(models.Model):
    """年度覆盖目标：村（社区）网点覆盖率和乡镇中转站建设目标。"""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    village_coverage_percent = models.DecimalField(
        _("villages served (%)"), max_digits=5, decimal_places=1, default=100
    )
    transfer_station_percent = models.DecimalField(
        _("townships with an operating transfer station (%)"),
        max_digits=5,
        decimal_places=1,
        default=100,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="coverage_target_percent_in_range",
                condition=Q(village_coverage_percent__gte=0)
                & Q(village_coverage_percent__lte=100)
                & Q(transfer_station_percent__gte=0)
                & Q(transfer_station_percent__lte=100),
                violation_error_message=_("A target is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return str(self.year)


class BackgroundJob(LeasedWork):
    """后台任务：大批量导出和导入，显示进度，完成后提供下载。"""

    class Kind(models.TextChoices):
        SITE_EXPORT = "site_export", _("Site roster export")
        OPERATOR_EXPORT = "operator_export", _("Operator roster export")
        ROSTER_IMPORT = "roster_import", _("Roster import")
        # The market's (trade/): weighbridge records uploaded, the transfer ledger written.
        WEIGHBRIDGE_IMPORT = "weighbridge_import", _("Weighbridge import")
        TRANSFER_EXPORT = "transfer_export", _("Transfer ledger export")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="background_jobs",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    input_file = models.FileField(_("uploaded file"), upload_to="jobs/in/", blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/out/", blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / (self.total or 1))
