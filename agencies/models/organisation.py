"""The member agencies, their duties, the problem categories and the duty table that routes a
problem to a lead agency.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import TimeStampedModel

from ..choices import AgencyKind, AreaCondition, LeadKind
from .territory import CountyDataQuerySet


class Agency(TimeStampedModel):
    """县级成员单位：附件所列的县政府办公室和十二个部门。"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    short_name = models.CharField(_("short name"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.AGENCY
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:agency-detail", args=[self.pk])


class AgencyDuty(TimeStampedModel):
    """职责：附件“各部门具体职责”中的一条，属于一个部门或全体乡镇（街道）。"""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
    )
    for_townships = models.BooleanField(
        _("for every township"),
        default=False,
        help_text=_("The duty of all townships and subdistricts (属地责任)."),
    )
    text = models.TextField(_("duty"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="agency_duty_belongs_to_agency_or_townships",
                condition=Q(agency__isnull=False, for_townships=False)
                | Q(agency__isnull=True, for_townships=True),
                violation_error_message=_(
                    "A duty belongs either to one agency or to every township."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.holder}：{self.text[:30]}"

    @property
    def holder(self) -> str:
        return str(self.agency) if self.agency_id else str(_("Every township (subdistrict)"))


class ProblemCategory(TimeStampedModel):
    """问题类别：巡查发现的问题按类别交由牵头部门处置。"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    examples = models.CharField(_("examples"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class DutyRule(TimeStampedModel):
    """职责分工表的一行：某类问题在某类区域由谁牵头处置，以及各环节时限（工作日）。"""

    category = models.ForeignKey(
        ProblemCategory,
        verbose_name=_("problem category"),
        on_delete=models.PROTECT,
        related_name="duty_rules",
    )
    area = models.CharField(
        _("area"), max_length=16, choices=AreaCondition.choices, default=AreaCondition.ANY
    )
    lead_kind = models.CharField(
        _("lead"), max_length=16, choices=LeadKind.choices, default=LeadKind.AGENCY
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_rules",
    )
    register_days = models.PositiveSmallIntegerField(
        _("days to register (working days)"), default=1
    )
    dispatch_days = models.PositiveSmallIntegerField(
        _("days to dispatch (working days)"), default=1
    )
    handle_days = models.PositiveSmallIntegerField(_("days to handle (working days)"), default=10)
    verify_days = models.PositiveSmallIntegerField(_("days to verify (working days)"), default=3)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty table")
        ordering = ["category__sort_order", "area"]
        constraints = [
            models.CheckConstraint(
                name="duty_rule_agency_lead_names_agency",
                condition=Q(lead_kind="agency", lead_agency__isnull=False)
                | Q(lead_kind="township", lead_agency__isnull=True),
                violation_error_message=_(
                    "Choose the lead agency, or let the site's township lead (and then leave "
                    "the agency empty)."
                ),
            ),
            models.UniqueConstraint(
                fields=["category", "area"],
                condition=Q(is_active=True),
                name="duty_rule_one_rule_per_category_and_area",
                violation_error_message=_(
                    "This category already has a rule in force for this area."
                ),
            ),
            models.CheckConstraint(
                name="duty_rule_deadlines_positive",
                condition=Q(register_days__gte=1)
                & Q(dispatch_days__gte=1)
                & Q(handle_days__gte=1)
                & Q(verify_days__gte=1),
                violation_error_message=_("Every deadline is at least one working day."),
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.get_area_display()} → {self.lead_label}"

    def get_absolute_url(self):
        return reverse("agencies:dutyrule-update", args=[self.pk])

    @property
    def lead_label(self) -> str:
        if self.lead_kind == LeadKind.TOWNSHIP:
            return str(_("The site's township"))
        return str(self.lead_agency) if self.lead_agency_id else "—"

    def clean(self):
        if self.lead_kind == LeadKind.AGENCY and not self.lead_agency_id:
            raise ValidationError({"lead_agency": _("A duty rule must name its lead agency.")})
        if self.lead_kind == LeadKind.TOWNSHIP and self.lead_agency_id:
            raise ValidationError(
                {"lead_agency": _("When the township leads, leave the lead agency empty.")}
            )
        if not self.is_active or not self.category_id:
            return
        others = DutyRule.objects.filter(category_id=self.category_id, is_active=True).exclude(
            pk=self.pk
        )
        if self.area == AreaCondition.ANY:
            clash = others.exists()
        else:
            clash = others.filter(area__in=[AreaCondition.ANY, self.area]).exists()
        if clash:
            raise ValidationError(
                {
                    "area": _(
                        "Another rule in force for %(category)s already covers this area; "
                        "end it first or choose another area."
                    )
                    % {"category": self.category}
                }
            )
