"""The login page says who runs the portal and how to get a forgotten password reset: by the
commerce office, never by an email link the portal does not send."""

from django.urls import reverse


def test_the_login_page_names_the_owner_and_offers_the_forgotten_password_path(client):
    page = client.get(reverse("accounts:login")).content.decode()

    assert "安吉县商务局" in page
    assert "联系方式：工作日请联系县商务局" in page  # the contact line, until one is configured
    assert reverse("accounts:password-forgotten") in page


def test_a_forgotten_password_is_reset_by_the_commerce_office_without_logging_in(client):
    response = client.get(reverse("accounts:password-forgotten"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "忘记密码" in page and "商务局" in page and "邮件" in page
    assert reverse("accounts:login") in page


def test_the_configured_owner_and_contact_line_are_shown_escaped(client, settings):
    settings.PORTAL_OWNER = "安吉县商务局 <b>办公室</b>"
    settings.PORTAL_CONTACT = "联系电话：0572-0000000"

    for name in ("accounts:login", "accounts:password-forgotten"):
        page = client.get(reverse(name)).content.decode()
        assert "安吉县商务局 &lt;b&gt;办公室&lt;/b&gt;" in page
        assert "联系电话：0572-0000000" in page
        assert "联系方式：工作日" not in page
