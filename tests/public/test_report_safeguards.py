"""A report's photos (checked, private, for the township only), the offline challenge, the
per-device limit, the commerce bureau's switch, the township's daily cap with overflow held for
review, and 附近已有人反映 before sending."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.choices import Role
from inspections.models import Case
from public.models import PublicReport, PublicReporting, PublicReportPhoto
from public.services import reject_held_report, release_held_report, set_public_reporting
from tests.factories import make_user
from tests.public.test_public_reports import _challenge, _form

pytestmark = pytest.mark.django_db


def _png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _post(client=None, **fields):
    return (client or Client()).post(reverse("public:report"), _form(**fields))


def test_a_photo_is_stored_privately_and_shown_to_the_township_only(
    dipu_officer, market_officer, commerce_admin
):
    assert _post(photos=[_png()]).status_code == 302
    photo = PublicReportPhoto.objects.get()
    url = reverse("public-staff:report-photo", args=[photo.pk])
    for user, status in [(dipu_officer, 200), (commerce_admin, 200), (market_officer, 403)]:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status
    other = make_user(Role.TOWNSHIP_OFFICER, township_code="330523002")
    client = Client()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login
    tracking = Client().get(PublicReport.objects.get().get_absolute_url()).content.decode()
    assert url not in tracking and "photo" not in tracking


def test_a_file_that_is_not_an_image_is_refused_in_chinese_and_nothing_written():
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = _post(photos=[fake])
    assert response.status_code == 200
    assert "不是图片" in response.content.decode()
    assert not PublicReport.objects.exists() and not Case.objects.exists()


def test_more_than_three_photos_are_refused():
    response = _post(photos=[_png(f"{n}.png") for n in range(4)])
    assert "最多 3 张照片" in response.content.decode()
    assert not PublicReport.objects.exists()


def test_a_wrong_or_reused_answer_to_the_challenge_is_refused():
    wrong = _form()
    wrong["challenge_answer"] = 99
    response = Client().post(reverse("public:report"), wrong)
    assert "计算结果不对" in response.content.decode()
    assert not PublicReport.objects.exists()
    once = _form()
    assert Client().post(reverse("public:report"), once).status_code == 302
    again = Client().post(reverse("public:report"), {**once, "place": "另一处"})
    assert "计算结果不对" in again.content.decode()
    assert PublicReport.objects.count() == 1


@pytest.mark.parametrize("answer", ["abc", "1.5", "-3", "\uff11\uff12"])
def test_an_answer_that_is_not_digits_is_refused_in_chinese(answer):
    form = {**_form(), "challenge_answer": answer}
    response = Client().post(reverse("public:report"), form)
    assert response.status_code == 200
    assert "请用数字填写计算结果" in response.content.decode()
    assert not PublicReport.objects.exists()


def test_reports_are_limited_per_device(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_report_device": "1/hour",
        },
    }
    phone = Client()
    phone.get(reverse("public:report"))  # the form gives the device cookie
    assert "public_device" in phone.cookies
    assert _post(phone).status_code == 302
    assert _post(phone, place="第二处").status_code == 429
    # Another phone behind the same address is not this device.
    other = Client()
    other.get(reverse("public:report"))
    assert _post(other, place="第三处").status_code == 302
    assert PublicReport.objects.count() == 2


def test_the_commerce_bureau_closes_public_reporting(commerce_admin, dipu_officer):
    with pytest.raises(Exception, match="商务局"):
        set_public_reporting(actor=dipu_officer, is_open=False, daily_cap=30)
    set_public_reporting(actor=commerce_admin, is_open=False, daily_cap=30)
    page = Client().get(reverse("public:report")).content.decode()
    assert "暂停受理" in page and "<form" not in page
    assert "暂停受理" in _post().content.decode()
    assert not PublicReport.objects.exists()
    set_public_reporting(actor=commerce_admin, is_open=True, daily_cap=30)
    assert _post().status_code == 302
    assert PublicReporting.current().history.count() >= 2


def test_over_the_daily_cap_a_report_is_held_for_review_then_released_or_turned_down(
    commerce_admin, dipu_officer
):
    set_public_reporting(actor=commerce_admin, is_open=True, daily_cap=1)
    _post()
    _post(place="第二处")
    _post(place="第三处")
    first, second, third = PublicReport.objects.order_by("pk")
    assert first.state == "filed" and first.case is not None
    assert second.state == "held" and second.case is None
    assert Case.objects.count() == 1  # the flood does not reach the township's queue
    status = Client().get(second.get_absolute_url()).content.decode()
    assert 'data-public-status="received"' in status
    with pytest.raises(Exception, match="商务局"):
        release_held_report(report=second, actor=dipu_officer)
    second = release_held_report(report=second, actor=commerce_admin)
    assert second.state == "filed" and second.case.status == "reported"
    third = reject_held_report(report=third, actor=commerce_admin, reason="重复刷单")
    assert third.state == "rejected" and third.case is None
    status = Client().get(third.get_absolute_url()).content.decode()
    assert 'data-public-status="concluded"' in status and "重复刷单" in status


def test_the_form_hears_of_an_open_report_of_the_same_problem_near_by():
    _post(latitude="30.630000", longitude="119.680000")
    report = PublicReport.objects.get()
    url = reverse("api:public-report-nearby")

    def nearby(**params):
        response = Client().get(url, {"category": report.category_id, **params})
        assert response.status_code == 200 and not response.cookies
        return response.json()

    assert nearby(lat="30.6310", lng="119.6805") == {"count": 1, "nearby": True}  # ~120 m
    assert nearby(lat="30.6500", lng="119.6800")["nearby"] is False  # ~2 km
    assert nearby(lat="30.6310", lng="119.6805", category=report.category_id + 1)["count"] == 0
    assert Client().get(url, {"category": "x"}).status_code == 400
    page = Client().get(reverse("public:report")).content.decode()
    assert "附近已有人反映" in page and 'data-nearby="/api/v1/public/reports/nearby/"' in page


def test_the_challenge_question_is_on_the_form():
    page = Client().get(reverse("public:report")).content.decode()
    assert "请计算" in page and 'name="challenge"' in page
    assert _challenge()["challenge_answer"] >= 2
