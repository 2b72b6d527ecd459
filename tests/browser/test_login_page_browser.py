"""The login page at phone and laptop width: who runs the portal and a contact line, and a
忘记密码 path that sends users to the commerce office (the portal sends no reset email)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_login_page_names_the_owner_and_the_forgotten_password_path(browser_page, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    width = viewport["width"]

    page.goto(reverse("accounts:login"))
    owner = page.locator(".portal-owner")
    expect(owner).to_contain_text("主办：安吉县商务局")
    expect(owner).to_contain_text("联系方式")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / f"login-{width}.png", full_page=True)

    page.get_by_role("link", name="忘记密码？").click()
    expect(page.locator("h1")).to_have_text("忘记密码？")
    expect(page.locator(".login-box")).to_contain_text("县商务局")
    expect(page.locator(".login-box")).to_contain_text("邮件")
    expect(page.locator("input[type=email]")).to_have_count(0)
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / f"password-forgotten-{width}.png", full_page=True)

    page.get_by_role("link", name="返回登录").click()
    expect(page.locator("#id_username")).to_be_visible()
    assert page.errors == []
