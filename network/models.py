"""Network-building projects (三级回收体系建设项目): a planned centre, station or point, or the
conversion of a garbage-sorting transfer station into "一场两用", from planning to operation,
with its investment, land, subsidy, the date of each stage and photos."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import access
from accounts.access import township_scope
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel
from anji_recycling.uploads import ParentPath
from anji_recycling.validators import validate_position
from sites.choices import SiteTier, VenueType

from .choices import KIND_TIER, STAGE_DATES, LandStatus, ProjectKind, ProjectStage

AMOUNT = {"max_digits": 14, "decimal_places": 2, "default": 0}  # 元


def is_county_builder(user) -> bool:
    """Who builds the network county-wide: the commerce bureau and, once accounts.access has
    the predicate `is_supply_coop` (the 供销联社 role), the supply and marketing co-op. The
    hook reads the predicate by name so that adding it there is the only change needed."""
    if access.is_county_admin(user):
        return True
    is_supply_coop = getattr(access, "is_supply_coop", None)
    return is_supply_coop is not None and bool(is_supply_coop(user))


class ProjectQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Township staff see their township's projects; every other role the county's but the
        association, none."""
        if not access.reads_network(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        """The county's builder changes every project; a township officer its township's
        stations and points (the sorting centre is the co-op's)."""
        if is_county_builder(user):
            return self
        if access.is_township_officer(user):
            return self.filter(township_id=user.township_id).exclude(kind=ProjectKind.CENTRE)
        return self.none()


def _nonnegative(name):
    return models.CheckConstraint(
        name=f"network_project_{name}_not_negative",
        condition=Q(**{f"{name}__gte": 0}),
        violation_error_message=_("An amount cannot be negative."),
    )


def _stage_after(later, earlier):
    return models.CheckConstraint(
        name=f"network_project_{later.removesuffix('_on')}_date_in_order",
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        violation_error_message=_("A stage cannot be dated before the stage it follows."),
    )


class NetworkProject(LocatedModel, TimeStampedModel):
    """网点建设项目：规划中的分拣中心、中转分拣站、回收网点，或垃圾分类中转站“一场两用”改造。"""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    stage = models.CharField(
        _("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.PLANNING
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="network_projects",
    )
    village = models.ForeignKey(
        "agencies.Village",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_projects",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    venue_type = models.CharField(
        _("venue type"), max_length=16, choices=VenueType.choices, blank=True
    )
    builder = models.CharField(_("builder"), max_length=100)
    operator = models.ForeignKey(
        "sites.Operator",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_projects",
        help_text=_("Who will run the site once it is in operation."),
    )
    parent = models.ForeignKey(
        "sites.Site",
        verbose_name=_("delivers to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A collection point delivers to a transfer station; a station to the centre."),
    )
    investment_government = models.DecimalField(_("government investment (yuan)"), **AMOUNT)
    investment_enterprise = models.DecimalField(_("enterprise investment (yuan)"), **AMOUNT)
    investment_social = models.DecimalField(_("social capital (yuan)"), **AMOUNT)
    subsidy = models.DecimalField(_("subsidy (yuan)"), **AMOUNT)
    land_status = models.CharField(
        _("land"), max_length=16, choices=LandStatus.choices, default=LandStatus.EXISTING
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"), help_text=_("The year by which the site should be in operation.")
    )
    planned_on = models.DateField(_("planned on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    operating_on = models.DateField(_("in operation since"), null=True, blank=True)
    planned_approval_on = models.DateField(_("approval planned for"), null=True, blank=True)
    planned_construction_on = models.DateField(
        _("construction planned to start on"), null=True, blank=True
    )
    planned_completion_on = models.DateField(_("completion planned for"), null=True, blank=True)
    planned_operation_on = models.DateField(_("operation planned for"), null=True, blank=True)
    site = models.OneToOneField(
        "sites.Site",
        verbose_name=_("site in the registry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_project",
        help_text=_(
            "An existing site the project builds or converts; otherwise the site is registered "
            "when the project goes into operation."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("network-building project")
        verbose_name_plural = _("network-building projects")
        ordering = ["township__code", "target_year", "pk"]
        indexes = [models.Index(fields=["stage", "township"], name="network_project_stage")]
        constraints = [
            *(
                _nonnegative(name)
                for name in (
                    "investment_government",
                    "investment_enterprise",
                    "investment_social",
                    "subsidy",
                )
            ),
            _stage_after("approved_on", "planned_on"),
            _stage_after("construction_started_on", "approved_on"),
            _stage_after("completed_on", "construction_started_on"),
            _stage_after("operating_on", "completed_on"),
            models.CheckConstraint(
                name="network_project_position_in_anji",
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=30.2)
                    & Q(latitude__lte=30.9)
                    & Q(longitude__gte=119.2)
                    & Q(longitude__lte=119.9)
                ),
                violation_error_message=_("The position lies outside Anji County."),
            ),
            models.CheckConstraint(
                name="network_project_completed_has_position",
                condition=~Q(stage__in=[ProjectStage.COMPLETED, ProjectStage.OPERATING])
                | Q(latitude__isnull=False),
                violation_error_message=_(
                    "A completed project needs its position inside Anji County."
                ),
            ),
            models.CheckConstraint(
                name="network_project_in_operation_has_site",
                condition=~Q(stage=ProjectStage.OPERATING) | Q(site__isnull=False),
                violation_error_message=_("A project in operation has its site in the registry."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:project-detail", args=[self.pk])

    @property
    def tier(self) -> int:
        return KIND_TIER[ProjectKind(self.kind)]

    @property
    def investment_total(self):
        return self.investment_government + self.investment_enterprise + self.investment_social

    def stage_date(self, stage):
        return getattr(self, STAGE_DATES[stage][0])

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
        if self.kind and self.tier != SiteTier.COLLECTION_POINT and self.venue_type:
            errors["venue_type"] = _("Only a collection point has a venue type.")
        if self.kind and self.site_id and self.site.tier != self.tier:
            errors["site"] = _("The site %(site)s is a %(tier)s, not what this project builds.") % {
                "site": self.site,
                "tier": SiteTier(self.site.tier).label,
            }
        if self.site_id and self.township_id and self.site.township_id != self.township_id:
            errors["site"] = _("The site %(site)s is not in %(township)s.") % {
                "site": self.site,
                "township": self.township,
            }
        if errors:
            raise ValidationError(errors)


class ProjectRowQuerySet(ScopedQuerySet):
    """Rows of a project (its stage changes, its photos): scoped as their project."""

    def visible_to(self, user):
        return self.filter(project__in=NetworkProject.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(project__in=NetworkProject.objects.editable_by(user))


class ProjectStageChange(models.Model):
    """项目阶段记录：谁把项目推进到哪个阶段、阶段日期和说明。"""

    project = models.ForeignKey(
        NetworkProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField(
        _("from stage"), max_length=16, choices=ProjectStage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=16, choices=ProjectStage.choices)
    on = models.DateField(_("date of the stage"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("project stage change")
        verbose_name_plural = _("project stage changes")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.project}: {self.from_stage} → {self.to_stage}"


project_photo_path = ParentPath("network", "project_id")


class ProjectPhoto(models.Model):
    """项目照片：各阶段的现场照片（私有存储，经门户按数据范围提供）。"""

    project = models.ForeignKey(
        NetworkProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices)
    image = models.ImageField(_("photo"), upload_to=project_photo_path)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return reverse("network:photo-file", args=[self.pk])
