"""Meetings of the leading group, their attendance, and the action items they decide with their
progress.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import has_role, is_agency_officer, is_county_admin
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from ..choices import ActionItemStatus, MeetingKind, MeetingStatus, Recurrence
from .organisation import Agency
from .territory import Township


class MeetingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class Meeting(TimeStampedModel):
    """联席会议：领导小组定期召开，记录议程、出席、纪要、决定和督办事项。"""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    convener = models.CharField(_("convener"), max_length=100)
    agenda = models.TextField(_("agenda"), blank=True)
    invited_agencies = models.ManyToManyField(
        Agency, verbose_name=_("invited agencies"), blank=True, related_name="meetings"
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited people"),
        blank=True,
        related_name="meeting_invitations",
    )
    recurrence = models.CharField(
        _("recurs"), max_length=16, choices=Recurrence.choices, blank=True
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_meeting",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agencies:meeting-detail", args=[self.pk])


class MeetingAttendance(models.Model):
    """出席记录：某单位（或个人）是否出席会议。"""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, null=True, blank=True
    )
    person_name = models.CharField(_("name"), max_length=50, blank=True)
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.meeting}: {self.agency or self.township or self.person_name}"


class ActionItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        if is_county_admin(user):
            return self
        if is_agency_officer(user):
            return self.filter(agency_id=user.agency_id)
        return self.none()


class ActionItem(TimeStampedModel):
    """督办事项：会议交办给某部门、有完成期限的事项。"""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="action_items"
    )
    description = models.TextField(_("task"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.agency.name}：{self.description[:30]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionItemStatus.OPEN and self.due_on < timezone.localdate()


class ActionItemUpdate(models.Model):
    """督办事项进展：部门报告的进展。"""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:40]
