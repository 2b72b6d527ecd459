"""The leading group: its posts and who holds each, for which period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from anji_recycling.models import TimeStampedModel

from ..choices import PostRole
from .organisation import Agency
from .territory import CountyDataQuerySet, Township


class LeadingGroupPost(TimeStampedModel):
    """领导小组职位：组长、副组长、成员（每个部门、每个乡镇一位）和办公室主任。"""

    role = models.CharField(_("role in the group"), max_length=32, choices=PostRole.choices)
    title = models.CharField(_("post"), max_length=100)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("leading-group post")
        verbose_name_plural = _("leading-group posts")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="leading_group_post_not_both_agency_and_township",
                condition=Q(agency__isnull=True) | Q(township__isnull=True),
                violation_error_message=_("A post represents an agency or a township, not both."),
            ),
        ]

    def __str__(self):
        if self.unit_label:
            return f"{self.get_role_display()}（{self.unit_label}）"
        return f"{self.get_role_display()}：{self.title}"

    @property
    def unit_label(self) -> str:
        if self.agency_id:
            return str(self.agency.name)
        if self.township_id:
            return str(self.township)
        return ""


class LeadingGroupMembership(TimeStampedModel):
    """领导小组成员任职：某人在某一职位的任期（起止日期）。"""

    post = models.ForeignKey(
        LeadingGroupPost,
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    job_title = models.CharField(_("position held"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    start_date = models.DateField(pgettext_lazy("membership", "from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("leading-group membership")
        verbose_name_plural = _("leading-group memberships")
        ordering = ["post__sort_order", "-start_date"]
        constraints = [
            models.CheckConstraint(
                name="leading_group_membership_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(end_date__isnull=True),
                name="leading_group_membership_one_open_per_post",
                violation_error_message=_(
                    "This post already has a current holder: end that membership first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.post}）"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
        if not self.post_id or not self.start_date:
            return
        overlapping = (
            LeadingGroupMembership.objects.filter(post_id=self.post_id)
            .exclude(pk=self.pk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError(_("This period overlaps another holder of the same post."))
