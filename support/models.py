"""Support for the trade (措施（二）、（六）): the subsidies and awards the finance and commerce
bureaus grant operators, and the land-support cases of the planning bureau for sites."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_association,
    is_county_admin,
    is_supply_coop,
    is_township_officer,
    publishes_notices,
    township_scope,
)
from anji_recycling.models import ScopedQuerySet, TimeStampedModel, entered_by_field
from anji_recycling.uploads import MonthlyPath

from .choices import LandDecision, LandKind, NoticeKind, PublicityForm, SubsidyKind

# The 供销联社 builds the network (承担县再生资源回收体系网点建设) and supervises its own
# enterprises (督促指导下属再生资源回收企业): it reads the support that went to the network's
# projects and to its enterprises, never what other operators — its enterprises' competitors —
# received.
COOP_SUBSIDIES = Q(operator__is_coop_enterprise=True) | Q(project__isnull=False)
COOP_LAND_CASES = Q(site__operator__is_coop_enterprise=True) | Q(
    site__network_project__isnull=False
)


def _county_or_township(queryset, user, field, *, coop=None):
    """Every role with a county view reads the support; a township its own; the co-op what
    `coop` admits; the association (a trade body, not a government one) none of it."""
    if not has_role(user) or is_association(user):
        return queryset.none()
    if coop is not None and is_supply_coop(user):
        return queryset.filter(coop)
    township_id = township_scope(user)
    if township_id is None:
        return queryset
    return queryset.filter(**{field: township_id})


class SubsidyQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Like the other support records, by the township of the operator or of the network
        project the grant went to."""
        if not has_role(user) or is_association(user):
            return self.none()
        if is_supply_coop(user):
            return self.filter(COOP_SUBSIDIES)
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(
            Q(operator__township_id=township_id) | Q(project__township_id=township_id)
        )

    def editable_by(self, user):
        from accounts.access import records_subsidies

        return self if records_subsidies(user) else self.none()


support_evidence_path = MonthlyPath("evidence/support")


class Subsidy(TimeStampedModel):
    """补助和奖励：财政局或商务局按文件给予经营主体或网点建设项目的资金扶持（元）。"""

    operator = models.ForeignKey(
        "sites.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidies",
    )
    project = models.ForeignKey(
        "network.NetworkProject",
        verbose_name=_("network-building project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidies",
        help_text=_("A grant to a construction project rather than to an operator."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SubsidyKind.choices, default=SubsidyKind.SUBSIDY
    )
    basis_document = models.CharField(
        _("basis document number"),
        max_length=100,
        help_text=_("The number of the document the grant rests on, e.g. 安财企〔2026〕12号."),
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    granted_on = models.DateField(_("granted on"))
    purpose = models.CharField(_("purpose"), max_length=200)
    granted_by = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.FileField(
        _("evidence"), upload_to=support_evidence_path, blank=True, max_length=300
    )
    recorded_by = entered_by_field(_("recorded by"))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SubsidyQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsidy or award")
        verbose_name_plural = _("subsidies and awards")
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="subsidy_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message=_("The amount must be more than 0 yuan."),
            ),
            models.CheckConstraint(
                name="subsidy_to_an_operator_or_a_project",
                condition=Q(operator__isnull=False, project__isnull=True)
                | Q(operator__isnull=True, project__isnull=False),
                violation_error_message=_(
                    "A subsidy or award goes to one operator or to one network-building project."
                ),
            ),
            models.CheckConstraint(
                name="subsidy_has_basis_document",
                condition=~Q(basis_document=""),
                violation_error_message=_("Give the number of the basis document."),
            ),
        ]

    def __str__(self):
        return f"{self.recipient} {self.basis_document}"

    @property
    def recipient(self):
        """The operator or the network project the grant went to."""
        return self.operator if self.operator_id else self.project

    @property
    def township(self):
        recipient = self.recipient
        return recipient.township if recipient is not None else None

    def get_absolute_url(self):
        return reverse("support:subsidy-detail", args=[self.pk])


class LandSupportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return _county_or_township(self, user, "site__township_id", coop=COOP_LAND_CASES)

    def editable_by(self, user):
        from accounts.access import records_land_support

        return self if records_land_support(user) else self.none()


class LandSupportCase(TimeStampedModel):
    """用地保障：资源规划局为站点解决建设用地的一件事项（申请、决定、面积）。"""

    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="land_support_cases",
    )
    kind = models.CharField(_("kind of land"), max_length=16, choices=LandKind.choices)
    request = models.TextField(_("request"))
    requested_on = models.DateField(_("requested on"))
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=LandDecision.choices, default=LandDecision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    recorded_by = entered_by_field(_("recorded by"))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = LandSupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("land-support case")
        verbose_name_plural = _("land-support cases")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="land_support_area_positive",
                condition=Q(area__gt=0),
                violation_error_message=_("The area must be more than 0 m²."),
            ),
            models.CheckConstraint(
                name="land_support_decided_has_date",
                condition=Q(decision="pending", decided_on__isnull=True)
                | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                violation_error_message=_(
                    "A decision has a date; a case under review has none yet."
                ),
            ),
            models.CheckConstraint(
                name="land_support_decided_after_request",
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                violation_error_message=_("The decision cannot come before the request."),
            ),
        ]

    def __str__(self):
        return f"{self.site} {self.requested_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("support:land-detail", args=[self.pk])


# 四（三）: the association's notices to the trade, and publicity ------------------------------


class NoticeQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The association and every role with a county view read every notice; a township's
        staff the notices that reach an operator of their township."""
        if not has_role(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(operators__township_id=township_id).distinct()

    def editable_by(self, user):
        return self if publishes_notices(user) else self.none()


class AssociationNotice(TimeStampedModel):
    """行业协会通知：再生资源行业协会向经营主体发布的自律公约、培训等通知。"""

    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    published_on = models.DateField(_("published on"))
    operators = models.ManyToManyField(
        "sites.Operator", verbose_name=_("operators"), related_name="association_notices"
    )
    published_by = entered_by_field(_("published by"))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("association notice")
        verbose_name_plural = _("association notices")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support:notice-detail", args=[self.pk])

    @property
    def notification_key(self) -> str:
        """The key of the inbox entries that told the townships of this notice."""
        return f"association-notice:{self.pk}"


class PublicityQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user) or is_association(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        """The commerce bureau all; a township officer their township's; an agency what it
        entered."""
        from accounts.access import is_agency_officer

        if is_county_admin(user):
            return self
        if is_township_officer(user):
            return self.filter(township_id=user.township_id)
        if is_agency_officer(user):
            return self.filter(agency_id=user.agency_id)
        return self.none()


class PublicityActivity(TimeStampedModel):
    """宣传活动：乡镇（街道）或部门开展的再生资源法规政策宣传（线上、线下）。"""

    held_on = models.DateField(_("held on"))
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="publicity_activities",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("Empty: held by the township."),
    )
    form = models.CharField(_("form"), max_length=16, choices=PublicityForm.choices)
    topic = models.CharField(_("topic"), max_length=200)
    audience = models.CharField(_("audience"), max_length=200)
    audience_count = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to=support_evidence_path, blank=True, max_length=300
    )
    entered_by = entered_by_field()

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity activity")
        verbose_name_plural = _("publicity activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["township", "held_on"], name="publicity_township_day")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("support:publicity-detail", args=[self.pk])
