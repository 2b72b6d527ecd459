"""A township officer reopens an operator in Chromium: the date pickers show the stored licence
and filing dates, and saving the form unchanged keeps them (issue #11: the pickers used to be
given 2027/06/30, which they reject, so they showed nothing and saving erased the dates). The
form is saved as screenshots at a phone's and a laptop's width."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from sites.models import Operator
from tests.factories import make_operator, make_user

from .conftest import ARTIFACTS, log_in

DIPU = "330523001"  # 递铺街道
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
DATES = {
    "licence_issued_on": dt.date(2024, 7, 1),
    "licence_valid_until": dt.date(2027, 6, 30),
    "filed_on": dt.date(2024, 7, 20),
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_reopens_an_operator_sees_its_dates_and_saving_keeps_them(browser_page):
    page = browser_page
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    operator = make_operator(
        actor=officer,
        township_code=DIPU,
        business_scope="废纸、废塑料回收\n废旧金属回收",
        filing_number="安商备2024-018",
        **DATES,
    )
    before = Operator.objects.values().get(pk=operator.pk)
    log_in(page, officer)

    page.goto(reverse("sites:operator-update", args=[operator.pk]))
    for name, day in DATES.items():
        picker = page.locator(f"#id_{name}")
        expect(picker).to_have_attribute("type", "date")
        expect(picker).to_have_value(day.isoformat())
        # The picker holds a date the browser understands, not only the text of one.
        assert picker.evaluate("input => input.valueAsDate?.toISOString()") == (
            f"{day.isoformat()}T00:00:00.000Z"
        )

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#id_licence_valid_until")).to_have_value("2027-06-30")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.screenshot(path=str(ARTIFACTS / "operator-edit-dates-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)
    page.reload()
    page.screenshot(path=str(ARTIFACTS / "operator-edit-dates.png"), full_page=True)

    page.click("form.edit-form button[type=submit].primary")
    expect(page).to_have_url(re.compile(rf"/sites/operators/{operator.pk}/$"))
    after = Operator.objects.values().get(pk=operator.pk)
    assert {name: after[name] for name in DATES} == DATES
    assert {**after, "updated_at": None} == {**before, "updated_at": None}
    assert page.errors == []
