"""Residents' reports (举报): each opens (or joins) a case in the township's queue, routed by
the duty table like a patrol's finding, reported by the portal's public-reports account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_county_admin
from anji_recycling.validators import normalise_phone, validate_image_upload
from inspections.choices import CaseAction, CaseStatus
from inspections.models import Case
from inspections.services import open_reported_case, transition_case
from sites.choices import SiteStatus, SiteTier
from sites.models import Site
from sites.services import change_site_status, register_site

from .choices import PublicStatus, ReportAction, ReportKind, ReportState
from .models import PublicReport, PublicReporting, PublicReportPhoto
from .policy import ensure_allowed
from .selectors import PUBLIC_STATUSES

CLOSED_MESSAGE = gettext_lazy(
    "Public reporting is closed for now. For urgent matters call the county's complaint line."
)

PUBLIC_REPORTER = "public-report"


def public_reporter():
    """The account named as reporter of the public's cases (公众举报): it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=PUBLIC_REPORTER, defaults={"first_name": "公众举报", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _reported_point(*, report: PublicReport, actor) -> Site:
    """The reported illegal point, recorded as 非法点位 for the township to check."""
    site = Site(
        name=_("Reported point %(number)s") % {"number": report.tracking_number},
        tier=SiteTier.COLLECTION_POINT,
        status=SiteStatus.ILLEGAL,
        township=report.township,
        address=report.place,
        latitude=report.latitude,
        longitude=report.longitude,
    )
    return register_site(site=site, actor=actor, reason=_("Reported by the public"))


MAX_PHOTOS = 3


def _check_photos(photos) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)s photos.") % {"count": MAX_PHOTOS}})
    errors = []
    for photo in photos:
        try:
            validate_image_upload(photo)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"photos": errors})


def _open_case(*, report: PublicReport) -> Case:
    actor = public_reporter()
    site = report.site if report.kind == ReportKind.SITE_PROBLEM else None
    if site is None:
        report.site = None
        site = _reported_point(report=report, actor=actor)
    description = _("Reported by the public (%(number)s): %(text)s") % {
        "number": report.tracking_number,
        "text": report.description,
    }
    return open_reported_case(
        site=site, category=report.category, description=description, actor=actor
    )


def _over_daily_cap(*, township, switch: PublicReporting) -> bool:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    received = PublicReport.objects.filter(
        township=township, created_at__gte=start, state=ReportState.FILED
    ).count()
    return received >= switch.daily_cap


@transaction.atomic
def file_public_report(*, report: PublicReport, photos=()) -> PublicReport:
    """A resident's report, with up to MAX_PHOTOS photos: it opens (or joins) a case in the
    township's queue, unless the township has had its daily cap of reports today: then it is
    held for the commerce bureau's review. Refused while public reporting is closed."""
    switch = PublicReporting.current()
    switch = PublicReporting.objects.select_for_update().get(pk=switch.pk)  # one count at once
    if not switch.is_open:
        raise ValidationError(CLOSED_MESSAGE)
    report.phone = normalise_phone(report.phone)
    report.full_clean(exclude=["case"])
    _check_photos(photos)
    if report.kind == ReportKind.SITE_PROBLEM:
        if report.site is None or report.site.status not in PUBLIC_STATUSES:
            raise ValidationError({"site": _("Choose the site the problem is at.")})
        if report.site.township_id != report.township_id:
            raise ValidationError({"township": _("The site is not in this township.")})
    elif report.kind == ReportKind.ILLEGAL_POINT:
        report.site = None
    if _over_daily_cap(township=report.township, switch=switch):
        report.state = ReportState.HELD
    else:
        report.state = ReportState.FILED
        report.case = _open_case(report=report)
    report.save()
    for photo in photos:
        PublicReportPhoto.objects.create(report=report, image=photo)
    return report


def _locked(report: PublicReport) -> PublicReport:
    return (
        PublicReport.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=report.pk)
    )


@transaction.atomic
def release_held_report(*, report: PublicReport, actor) -> PublicReport:
    """The commerce bureau lets a held report into the township's queue."""
    report = _locked(report)
    ensure_allowed(report, actor, ReportAction.RELEASE)
    report.state = ReportState.FILED
    report.case = _open_case(report=report)
    report.save(update_fields=["state", "case", "site"])
    return report


@transaction.atomic
def reject_held_report(*, report: PublicReport, actor, reason: str) -> PublicReport:
    """The commerce bureau turns down a held report (a flood, say): no case; the resident
    sees 已办结 and the reason as the reply."""
    report = _locked(report)
    ensure_allowed(report, actor, ReportAction.REJECT, comment=reason)
    report.state = ReportState.REJECTED
    report.reply = reason.strip()
    report.reply_status = PublicStatus.CONCLUDED
    report.replied_at = timezone.now()
    report.save(update_fields=["state", "reply", "reply_status", "replied_at"])
    return report


@transaction.atomic
def reply_to_report(*, report: PublicReport, actor, status: str, reply: str) -> PublicReport:
    """The township's answer the resident reads on the tracking page: one of the three public
    statuses and a short text, nothing else."""
    report = _locked(report)
    ensure_allowed(report, actor, ReportAction.REPLY)
    reply = (reply or "").strip()
    if status not in PublicStatus.values:
        raise ValidationError({"status": _("Choose the status the resident sees.")})
    if not reply:
        raise ValidationError({"reply": _("Write the reply the resident reads.")})
    report.reply_status, report.reply = status, reply
    report.replied_at = timezone.now()
    report.full_clean(exclude=["case", "site"])
    report.save(update_fields=["reply", "reply_status", "replied_at"])
    return report


@transaction.atomic
def merge_report_case(*, report: PublicReport, actor, into_number: str) -> Case:
    """A duplicate: the report's case (still 上报) is not opened (不予立案, naming the case it
    joins), and every report on it moves to that open case of the same township."""
    report = _locked(report)
    ensure_allowed(report, actor, ReportAction.MERGE)
    into = (
        Case.objects.visible_to(actor)
        .filter(number=(into_number or "").strip(), township_id=report.township_id)
        .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.DISMISSED])
        .exclude(pk=report.case_id)
        .first()
    )
    if into is None:
        raise ValidationError({"into": _("Give the number of another open case of this township.")})
    duplicate = report.case
    for each in PublicReport.objects.select_for_update().filter(case=duplicate):
        each.case = into
        each.save(update_fields=["case"])
    comment = _("A duplicate: merged into case %(number)s.") % {"number": into.number}
    transition_case(case=duplicate, action=CaseAction.DISMISS, actor=actor, comment=comment)
    _close_duplicate_point(site=duplicate.site, into=into, actor=actor, reason=comment)
    return into


def _close_duplicate_point(*, site: Site, into: Case, actor, reason: str) -> None:
    """The 非法点位 recorded for the duplicate report is the same place as the case it joined:
    it is closed through the sites' status change (timeline and history kept), unless it is
    that case's own point or another open case still concerns it."""
    if site.pk == into.site_id or site.status != SiteStatus.ILLEGAL:
        return
    if site.cases.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.DISMISSED]).exists():
        return
    change_site_status(site=site, to=SiteStatus.CLOSED, actor=actor, reason=reason)


@transaction.atomic
def set_public_reporting(*, actor, is_open: bool, daily_cap: int) -> PublicReporting:
    """The commerce bureau opens or closes public reporting and sets the township cap."""
    if not is_county_admin(actor):
        raise PermissionDenied(_("Only the commerce bureau opens or closes public reporting."))
    switch = PublicReporting.current()
    switch = PublicReporting.objects.select_for_update().get(pk=switch.pk)
    switch.is_open, switch.daily_cap = is_open, daily_cap
    switch.full_clean()
    switch.save()
    return switch
