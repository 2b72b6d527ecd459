"""The working-day calendar page: commerce admins enter, correct and delete the State Council's
holidays and make-up days for a year and mark the year entered in full; everyone else reads it;
the reminder banner from 1 November; bad input answered in Chinese."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from agencies.models import CalendarYear, HolidayArrangement

pytestmark = pytest.mark.django_db

ANJI = dt.timezone(dt.timedelta(hours=8))
NOTICE = "国办发明电〔2026〕7号"
CALENDAR = reverse("agencies:calendar")


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=ANJI)


@pytest.fixture(autouse=True)
def december_2026():
    with time_machine.travel(at(2026, 12, 1), tick=False):
        yield


def enter(client, **fields):
    data = {"day": "2027-02-09", "kind": "rest", "name": "春节", "notice_number": NOTICE}
    data.update(fields)
    return client.post(reverse("agencies:holiday-create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def page(client, year=None, **headers):
    params = {"year": year} if year else {}
    response = client.get(CALENDAR, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_commerce_admin_enters_corrects_and_deletes_a_day_in_the_portal(
    client, commerce_admin, django_capture_on_commit_callbacks
):
    client.force_login(commerce_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = enter(client)
    assert response.status_code == 302
    assert response["Location"] == f"{CALENDAR}?year=2027"
    entry = HolidayArrangement.objects.get(day=dt.date(2027, 2, 9))
    assert (entry.kind, entry.name, entry.notice_number, entry.entered_by) == (
        "rest",
        "春节",
        NOTICE,
        commerce_admin,
    )
    html = page(client, 2027)
    assert "2027-02-09" in html and "春节" in html and NOTICE in html
    assert "休息日" in html

    edit = reverse("agencies:holiday-update", args=[entry.pk])
    form = client.get(edit, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="2027-02-09"' in form  # the date picker gets ISO 8601 back
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {"day": "2027-02-20", "kind": "work", "name": "春节调休上班", "notice_number": NOTICE},
        )
    entry.refresh_from_db()
    assert (entry.day, entry.kind) == (dt.date(2027, 2, 20), "work")

    delete = reverse("agencies:holiday-delete", args=[entry.pk])
    assert "2027-02-20" in client.get(delete).content.decode()  # asks first
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not HolidayArrangement.objects.exists()

    history = list(HolidayArrangement.history.order_by("history_date"))
    assert [record.history_type for record in history] == ["+", "~", "-"]
    assert {record.history_user for record in history} == {commerce_admin}
    assert "2027-02-09" in history[0].history_change_reason
    html = page(client, 2027)
    assert "删除" in html and "2027-02-20" in html  # the changes list keeps the deleted day


def test_the_page_lists_a_year_and_says_how_its_days_are_counted(client, commerce_admin):
    client.force_login(commerce_admin)
    html = page(client, 2026)
    assert "chinese-calendar" in html
    html = page(client, 2027)
    assert 'data-year-known="false"' in html
    assert "尚未" in html
    assert "2027-02-05" in html and "农历除夕" in html  # the statutory days used meanwhile
    # Without a year the page opens on the year still to enter.
    assert 'data-year-known="false"' in page(client)


def test_marking_a_year_entered_in_full_needs_the_notice_and_is_recorded(
    client, commerce_admin, django_capture_on_commit_callbacks
):
    client.force_login(commerce_admin)
    complete = reverse("agencies:calendar-year-complete", args=[2027])
    response = client.post(complete, {"notice_number": " "}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "文号" in client.get(response["Location"]).content.decode()
    assert not CalendarYear.objects.filter(complete=True).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(complete, {"notice_number": NOTICE})
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.notice_number, year.marked_by) == (True, NOTICE, commerce_admin)
    assert year.history.latest().history_user == commerce_admin
    assert 'data-year-known="true"' in page(client, 2027)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agencies:calendar-year-reopen", args=[2027]), {"reason": "通知有调整"})
    year.refresh_from_db()
    assert not year.complete
    assert "通知有调整" in year.history.latest().history_change_reason


def test_other_roles_read_the_calendar_but_cannot_change_it(client, users_by_role, commerce_admin):
    entry = HolidayArrangement.objects.create(
        day=dt.date(2027, 2, 9),
        kind="rest",
        name="春节",
        notice_number=NOTICE,
        entered_by=commerce_admin,
    )
    for role, user in users_by_role.items():
        if role == "commerce_admin":
            continue
        client.force_login(user)
        html = page(client, 2027)
        assert "2027-02-09" in html, role
        assert reverse("agencies:holiday-create") not in html, role
        assert enter(client, day="2027-02-10").status_code == 403, role
        edit = reverse("agencies:holiday-update", args=[entry.pk])
        assert client.get(edit).status_code == 403, role
        assert client.post(reverse("agencies:holiday-delete", args=[entry.pk])).status_code == 403
        complete = reverse("agencies:calendar-year-complete", args=[2027])
        assert client.post(complete, {"notice_number": NOTICE}).status_code == 403, role
    assert HolidayArrangement.objects.count() == 1
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": "2027-02-09"}, "已经录入"),  # entered twice
        ({"day": "1999-02-09"}, "2004"),  # a typo years off
        ({"day": "2027-02-30"}, "日期"),
        ({"kind": "holiday"}, "选择"),
        ({"notice_number": ""}, "必填"),
    ],
)
def test_bad_entries_are_refused_in_chinese_and_nothing_is_written(
    client, commerce_admin, fields, message
):
    client.force_login(commerce_admin)
    HolidayArrangement.objects.create(
        day=dt.date(2027, 2, 9),
        kind="rest",
        name="春节",
        notice_number=NOTICE,
        entered_by=commerce_admin,
    )
    response = enter(client, **{"day": "2027-02-10", **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert HolidayArrangement.objects.count() == 1


def test_a_year_the_page_does_not_offer_is_answered_not_crashed(
    client, dipu_officer, commerce_admin
):
    client.force_login(dipu_officer)
    for year in ["abc", "1900", "99999999999999999999"]:
        html = page(client, year)
        assert "2026" in html
    client.force_login(commerce_admin)
    for year in [1900, 99999]:
        for name, data, message in [
            ("agencies:calendar-year-complete", {"notice_number": NOTICE}, "只能录入 2004 年"),
            ("agencies:calendar-year-reopen", {"reason": "测试"}, "尚未确认全年录入"),
        ]:
            response = client.post(reverse(name, args=[year]), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 302
            follow = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert message in follow.content.decode()
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize(
    ("moment", "years"),
    [
        (at(2026, 10, 31, 23), []),  # 2027 not due yet
        (at(2026, 11, 1, 0), ["2027"]),
        (at(2026, 12, 31, 23), ["2027"]),
        (at(2027, 1, 5), ["2027"]),  # the year has begun and is still unknown
        (at(2027, 11, 1), ["2027", "2028"]),
        (at(2025, 11, 20), []),  # chinese-calendar already has 2026
    ],
    ids=["oct-31", "nov-1", "dec-31", "jan-5", "next-november", "library-knows"],
)
def test_commerce_admins_are_reminded_from_1_november_until_the_year_is_known(
    client, commerce_admin, moment, years
):
    with time_machine.travel(moment, tick=False):
        client.force_login(commerce_admin)  # sessions expire after 30 minutes
        response = client.get(reverse("agencies:township-list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    for year in ["2027", "2028"]:
        assert (f"{year} 年节假日安排尚未录入" in html) == (year in years), year
    if years:
        assert f'href="{CALENDAR}?year={years[0]}"' in html


def test_the_reminder_goes_once_the_year_is_entered_in_full(client, commerce_admin):
    client.force_login(commerce_admin)
    assert "2027 年节假日安排尚未录入" in page(client)
    CalendarYear.objects.create(year=2027, complete=True, notice_number=NOTICE)
    assert "2027 年节假日安排尚未录入" not in page(client)


def test_only_commerce_admins_see_the_reminder(client, users_by_role):
    for role, user in users_by_role.items():
        client.force_login(user)
        html = client.get(reverse("agencies:township-list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        shown = "2027 年节假日安排尚未录入" in html.content.decode()
        assert shown == (role == "commerce_admin"), role
