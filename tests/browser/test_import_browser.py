"""A township officer imports a roster in the browser: the upload is answered at once with the
job's page, which follows the background check by itself and moves on to its findings; the
officer confirms, and the page follows the background writing until it is done."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from sites import jobs
from sites.models import BackgroundJob, Site
from tests.conftest import DIPU
from tests.factories import make_site, make_user
from tests.sites.test_jobs import valid_workbook

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_township_officer_follows_the_check_of_an_import_then_confirms_it(
    browser_page, monkeypatch, tmp_path
):
    from sites import tasks

    queued = []  # the worker's queue: the work runs below, while the page watches
    monkeypatch.setattr(tasks.check_roster_import, "delay", lambda **kw: queued.append(kw))
    monkeypatch.setattr(tasks.apply_roster_import, "delay", lambda **kw: queued.append(kw))
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    station = make_site(actor=admin, tier=2, name="递铺街道中转分拣站")
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    workbook = tmp_path / "递铺花名册.xlsx"
    workbook.write_bytes(valid_workbook(station))
    page = browser_page
    log_in(page, officer)

    page.goto(reverse("sites:import"))
    page.set_input_files("#id_file", str(workbook))
    page.get_by_role("button", name="校验文件").click()

    job = BackgroundJob.objects.get(owner=officer)
    expect(page).to_have_url(re.compile(re.escape(reverse("sites:job-status", args=[job.pk]))))
    expect(page.locator("#job")).to_contain_text("正在逐行校验文件")
    assert queued == [{"job_id": job.pk}]

    jobs.run_check_job(job_id=job.pk)  # the worker

    review = reverse("sites:import-review", args=[job.pk])
    expect(page).to_have_url(re.compile(re.escape(review) + "$"), timeout=15_000)
    assert Site.objects.filter(parent=station).count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("sites:job-status", args=[job.pk]))))
    assert queued == [{"job_id": job.pk}] * 2
    jobs.run_import_job(job_id=job.pk)  # the worker; the page follows it by itself
    expect(page.get_by_role("link", name="前往站点列表")).to_be_visible(timeout=15_000)
    assert Site.objects.filter(parent=station).count() == 3
    assert page.errors == []
