"""The case page's progress bar: the lifecycle's steps, the current one with its deadline and who
must act (read from the case policy), and the findings' photos as thumbnails opening full size."""

import re

import pytest
from django.urls import reverse

from inspections.lifecycle import case_progress

from .conftest import report

pytestmark = pytest.mark.django_db


def _bar(client, case):
    """[(label, class)] of the bar's steps, and the line under it as text."""
    page = client.get(case.get_absolute_url()).content.decode()
    bar = re.search(r'<section class="case-progress".*?</section>', page, re.S).group(0)
    steps = [
        (label, f"step-{state}")
        for state, label in re.findall(r'<li class="step-(\w+)"[^>]*>([^<]+)</li>', bar)
    ]
    now = re.search(r'<p class="case-progress-now">(.*?)</p>', bar, re.S)
    return steps, (" ".join(re.sub(r"<[^>]+>", " ", now.group(1)).split()) if now else "")


def _act(client, user, case, action, comment=""):
    client.force_login(user)
    response = client.post(
        reverse("inspections:case-act", args=[case.pk]), {"action": action, "comment": comment}
    )
    assert response.status_code == 302
    case.refresh_from_db()


def test_the_bar_follows_a_joint_case_and_names_who_must_act(
    client,
    dipu_officer,
    fire_officer,
    market_officer,
    commerce_admin,
    built_up_site,
    dipu_grid_worker,
):
    (case,) = report(built_up_site, dipu_grid_worker, "fire_hazard")
    client.force_login(dipu_officer)
    steps, now = _bar(client, case)
    assert [label for label, _ in steps] == [
        "上报",
        "已立案",
        "派遣",
        "处置中",
        "处置完毕",
        "核查通过",
        "已结案",
    ]
    assert [state for _, state in steps] == ["step-current"] + ["step-todo"] * 6
    text = now
    assert "当前环节：立案" in text  # the stage whose deadline runs
    assert f"时限 {case.stage_deadline:%Y-%m-%d}" in text
    # Registering is the township's (the commerce bureau may always step in).
    assert "待 递铺街道、县商务局 办理" in text

    _act(client, dipu_officer, case, "register")
    _act(client, dipu_officer, case, "dispatch")
    client.force_login(fire_officer)
    steps, now = _bar(client, case)
    assert [state for _, state in steps] == ["step-done"] * 2 + ["step-current"] + ["step-todo"] * 4
    # Dispatched: the lead agency accepts (or returns) it, within the handling stage.
    assert now.startswith("当前环节：处置 · 时限")
    assert now.endswith(f"待 {case.lead_agency.name} 办理")

    _act(client, fire_officer, case, "accept")
    _act(client, fire_officer, case, "finish")
    client.force_login(dipu_officer)
    steps, now = _bar(client, case)
    assert dict(steps)["处置完毕"] == "step-current"
    assert now.endswith("待 递铺街道、县商务局 办理")  # verifying on site


def test_a_dismissed_case_ends_after_reporting_and_waits_on_nobody(
    client, dipu_officer, built_up_site, dipu_grid_worker
):
    (case,) = report(built_up_site, dipu_grid_worker, "fire_hazard")
    _act(client, dipu_officer, case, "dismiss", comment="不属于本辖区问题")
    progress = case_progress(case)
    assert [(s.label, s.state) for s in progress.steps] == [
        ("上报", "done"),
        ("不予立案", "done"),
    ]
    assert progress.waiting_on == [] and progress.deadline is None
    steps, now = _bar(client, case)
    assert [label for label, _ in steps] == ["上报", "不予立案"]
    assert now == ""


def test_finding_photos_are_thumbnails_opening_full_size(
    client, dipu_officer, built_up_site, dipu_grid_worker
):
    from tests.inspections.test_filing import png

    (case,) = report(
        built_up_site, dipu_grid_worker, "fire_hazard", photos=[png("a.png"), png("b.png")]
    )
    client.force_login(dipu_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    thumbs = re.findall(
        r'<a href="([^"]+)" target="_blank" rel="noopener"><img src="([^"]+)" alt="([^"]+)"', page
    )
    assert len(thumbs) == 2
    for href, src, alt in thumbs:
        assert src == href
        assert alt.startswith(f"{case.category.name}：") or alt.startswith(case.category.name)
        full = client.get(href)
        assert full.status_code == 200 and full["Content-Type"].startswith("image/")


def test_agencies_are_named_alike_on_the_list_and_the_case_page(
    client, commerce_admin, built_up_site, dipu_grid_worker
):
    """One form of an agency's name (县市场监管局, not 市场监管局 on the list)."""
    fire_case, _market_case = report(built_up_site, dipu_grid_worker, "fire_hazard", "unlicensed")
    names = [agency.name for agency in fire_case.assisting_agencies.all()]
    assert names and all(name.startswith("县") for name in names)
    client.force_login(commerce_admin)
    listed = client.get(reverse("inspections:case-list")).content.decode()
    row = re.search(rf"{fire_case.number}</a>.*?</tr>", listed, re.S).group(0)
    detail = client.get(fire_case.get_absolute_url()).content.decode()
    for name in names:
        assert name in row and name in detail
