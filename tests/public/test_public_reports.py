"""Residents' reports (举报): a tracking number and private link, a routed case in the
township's queue reported by the public account, three public statuses, a rate limit."""

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import ProblemCategory, Township
from inspections.models import Case
from public import challenge
from public.models import PublicReport
from public.services import PUBLIC_REPORTER
from sites.models import Site

pytestmark = pytest.mark.django_db

DIPU = "330523001"


def _challenge() -> dict:
    asked = challenge.new_challenge()
    first, second = (int(part) for part in asked["question"].split(" + "))
    return {"challenge": asked["token"], "challenge_answer": first + second}


def _form(**fields):
    return {
        **_challenge(),
        "kind": "illegal_point",
        "township": Township.objects.get(code=DIPU).pk,
        "category": ProblemCategory.objects.get(code="appearance").pk,
        "place": "递铺街道河边路桥下",
        "description": "桥下有人收购废品，堆放很乱",
        "latitude": "30.630000",
        "longitude": "119.680000",
        "phone": "13611112222",
        **fields,
    }


def test_a_report_of_an_illegal_point_opens_a_routed_case_in_the_townships_queue(
    dipu_officer,
):
    response = Client().post(reverse("public:report"), _form())
    report = PublicReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:report-status", args=[report.token])
    assert report.tracking_number.startswith("JB")
    case = report.case
    assert case.status == "reported"
    assert case.township.code == DIPU
    assert case.reported_by.username == PUBLIC_REPORTER
    assert case.lead_agency is not None  # routed by the duty table
    assert report.tracking_number in case.description
    point = case.site
    assert point.status == "illegal" and point.address == "递铺街道河边路桥下"
    assert Case.objects.visible_to(dipu_officer).filter(pk=case.pk).exists()


def test_a_report_about_a_public_site_joins_that_sites_case(public_world, commerce_admin):
    point = public_world.public_sites[0]
    page = Client().get(reverse("public:report"), {"site": point.pk}).content.decode()
    assert "长乐社区回收点" in page
    Client().post(reverse("public:report"), _form(kind="site_problem", site=point.pk))
    Client().post(reverse("public:report"), _form(kind="site_problem", site=point.pk))
    reports = list(PublicReport.objects.filter(site=point))
    assert len(reports) == 2
    assert reports[0].case == reports[1].case  # the second joins the open case
    assert reports[0].case.site == point
    assert not Site.objects.filter(status="illegal", address="递铺街道河边路桥下").exists()
    page = Client().get(reverse("public:site", args=[point.pk])).content.decode()
    assert "堆放很乱" not in page  # reports never show on the public pages


def test_a_report_about_a_private_site_is_refused_in_chinese(public_world):
    banned = public_world.private_sites[0]
    response = Client().post(reverse("public:report"), _form(kind="site_problem", site=banned.pk))
    assert response.status_code == 200
    assert "请选择问题所在的站点" in response.content.decode()
    assert not PublicReport.objects.filter(site=banned).exists()
    assert not Case.objects.filter(description__contains="桥下").exists()


def test_a_position_outside_anji_is_refused_without_writing_anything():
    response = Client().post(reverse("public:report"), _form(latitude="31.2", longitude="121.4"))
    assert response.status_code == 200
    assert "安吉县" in response.content.decode()
    assert not PublicReport.objects.exists()
    assert not Site.objects.filter(status="illegal").exists()


def test_the_tracking_page_shows_only_the_three_public_statuses(dipu_officer):
    from inspections.services import transition_case

    Client().post(reverse("public:report"), _form())
    report = PublicReport.objects.get()
    url = reverse("public:report-status", args=[report.token])

    def status():
        response = Client().get(url)
        assert not response.cookies
        page = response.content.decode()
        assert "13611112222" not in page and "堆放很乱" not in page  # nothing internal
        return page

    page = status()
    assert report.tracking_number in page
    assert 'data-public-status="received"' in page
    assert "已受理" in page and "已立案" in page and "已办结" in page
    transition_case(case=report.case, action="register", actor=dipu_officer)
    assert 'data-public-status="registered"' in status()
    assert Client().get(reverse("public:report-status", args=["guess"])).status_code == 404


def test_reports_are_rate_limited_per_address(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_report": "2/hour",
        },
    }
    client = Client()
    assert client.post(reverse("public:report"), _form()).status_code == 302
    assert client.post(reverse("public:report"), _form(place="另一处")).status_code == 302
    refused = client.post(reverse("public:report"), _form(place="第三处"))
    assert refused.status_code == 429
    assert "秒" in refused.content.decode()
    assert PublicReport.objects.count() == 2
