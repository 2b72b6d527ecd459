"""The township's side of residents' reports: marked as from the public in its queue, a reply
the resident reads (one of three statuses and the text, nothing internal), a duplicate merged
into an existing case; who may do it is public.policy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from inspections.models import Case
from public import policy
from public.models import PublicReport
from public.services import merge_report_case, reply_to_report
from tests.public.test_public_reports import _form

pytestmark = pytest.mark.django_db


def _report(**fields) -> PublicReport:
    assert Client().post(reverse("public:report"), _form(**fields)).status_code == 302
    return PublicReport.objects.latest("pk")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_township_sees_public_reports_marked_in_its_queue(
    dipu_officer, market_officer, django_assert_max_num_queries
):
    report = _report()
    _report(place="另一处")
    client = _client(dipu_officer)
    cases = client.get(reverse("inspections:case-list")).content.decode()
    assert report.case.number in cases and "data-from-public" in cases
    with django_assert_max_num_queries(12):
        page = client.get(reverse("public-staff:report-list")).content.decode()
    assert report.tracking_number in page and "群众举报" in page
    detail = client.get(reverse("public-staff:report-detail", args=[report.pk])).content.decode()
    assert "13611112222" in detail and "堆放很乱" in detail  # the township reads the resident
    nav = [label for _group, links in client.get("/").context["nav_groups"] for label, _ in links]
    assert "群众举报" in nav
    agency = _client(market_officer)
    assert agency.get(reverse("public-staff:report-list")).status_code == 403
    url = reverse("public-staff:report-detail", args=[report.pk])
    assert agency.get(url).status_code == 403


def test_the_townships_reply_reaches_the_tracking_page_and_nothing_else(
    dipu_officer, market_officer
):
    report = _report()
    assert policy.allowed_actions(report, dipu_officer) == ["reply", "merge"]
    assert policy.allowed_actions(report, market_officer) == []
    with pytest.raises(PermissionDenied):
        reply_to_report(report=report, actor=market_officer, status="registered", reply="x")
    response = _client(dipu_officer).post(
        reverse("public-staff:report-act", args=[report.pk]),
        {"action": "reply", "status": "registered", "reply": "已派人核查，将依法处理。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reply_status == "registered" and report.case.status == "reported"
    page = Client().get(report.get_absolute_url()).content.decode()
    assert 'data-public-status="registered"' in page and "已派人核查，将依法处理。" in page
    assert report.case.number not in page and "市场监管" not in page
    with pytest.raises(ValidationError):
        reply_to_report(report=report, actor=dipu_officer, status="internal", reply="x")


def test_a_duplicate_is_merged_into_an_existing_case(dipu_officer, commerce_admin):
    first = _report()
    second = _report(place="桥下同一处", latitude="30.630100", longitude="119.680100")
    assert first.case != second.case  # two reported points: two cases
    duplicate = second.case
    with pytest.raises(ValidationError, match="另一个未办结案件"):
        merge_report_case(report=second, actor=dipu_officer, into_number="nonsense")
    response = _client(dipu_officer).post(
        reverse("public-staff:report-act", args=[second.pk]),
        {"action": "merge", "into": first.case.number},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    duplicate.refresh_from_db()
    assert second.case == first.case
    assert duplicate.status == "dismissed"
    assert first.case.number in duplicate.events.latest("pk").comment
    # The duplicate's 非法点位 is closed through the sites' status change, its history kept;
    # the point of the case it joined stays.
    point = duplicate.site
    point.refresh_from_db()
    assert point.status == "closed" and first.case.site.status == "illegal"
    change = point.status_changes.latest("pk")
    assert (change.from_status, change.to_status) == ("illegal", "closed")
    assert first.case.number in change.reason and change.actor == dipu_officer
    assert [h.status for h in point.history.order_by("history_id")] == ["illegal", "closed"]
    with pytest.raises(ValidationError):  # not into the case it is on
        merge_report_case(report=second, actor=dipu_officer, into_number=first.case.number)
    # The resident follows the case the report joined.
    from inspections.services import transition_case

    transition_case(case=first.case, action="register", actor=dipu_officer)
    page = Client().get(second.get_absolute_url()).content.decode()
    assert 'data-public-status="registered"' in page
    assert Case.objects.filter(status="reported").count() == 0
