"""Residents' reports (举报): each opens (or joins) a case in the township's queue, routed by
the duty table like a patrol's finding, reported by the portal's public-reports account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anji_recycling.validators import normalise_phone
from inspections.services import open_reported_case
from sites.choices import SiteStatus, SiteTier
from sites.models import Site
from sites.services import register_site

from .choices import ReportKind
from .models import PublicReport
from .selectors import PUBLIC_STATUSES

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


@transaction.atomic
def file_public_report(*, report: PublicReport) -> PublicReport:
    report.phone = normalise_phone(report.phone)
    report.full_clean()
    if report.kind == ReportKind.SITE_PROBLEM:
        if report.site is None or report.site.status not in PUBLIC_STATUSES:
            raise ValidationError({"site": _("Choose the site the problem is at.")})
        if report.site.township_id != report.township_id:
            raise ValidationError({"township": _("The site is not in this township.")})
    actor = public_reporter()
    site = report.site if report.kind == ReportKind.SITE_PROBLEM else None
    if site is None:
        report.site = None
        site = _reported_point(report=report, actor=actor)
    description = _("Reported by the public (%(number)s): %(text)s") % {
        "number": report.tracking_number,
        "text": report.description,
    }
    report.case = open_reported_case(
        site=site, category=report.category, description=description, actor=actor
    )
    report.save()
    return report
