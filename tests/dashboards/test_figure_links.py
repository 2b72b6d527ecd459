"""Every figure links to the list behind it: following a figure's link (its query string on the
list's FilterSet, which the page and the API share) finds exactly the rows the figure counted.
"""

from urllib.parse import urlsplit

import pytest

from accounts.choices import Role

pytestmark = pytest.mark.django_db

LIST_API = {"/sites/": "/api/v1/sites/", "/cases/": "/api/v1/cases/"}


def count_behind(api_client, url):
    parts = urlsplit(url)
    response = api_client.get(f"{LIST_API[parts.path]}?{parts.query}")
    assert response.status_code == 200, (url, response.content)
    return response.json()["count"]


def figures_and_links(data):
    cases = data["cases"]
    pairs = [
        (cases["open"], cases["open_url"]),
        (cases["overdue"], cases["overdue_url"]),
        (cases["reported"], cases["reported_url"]),
        (cases["closed"], cases["closed_url"]),
        (cases["closed_late"], cases["closed_late_url"]),
    ]
    for group in [*data["cases_by_category"], *data["cases_by_lead_agency"]]:
        pairs += [(group["reported"], group["url"]), (group["overdue"], group["overdue_url"])]
    for month in data["trend"]:
        pairs += [
            (month["reported"], month["reported_url"]),
            (month["closed"], month["closed_url"]),
        ]
    if data["sites"]:
        sites = data["sites"]
        pairs += [
            (sites["total"], sites["url"]),
            (sites["illegal_points"], sites["illegal_points_url"]),
        ]
        pairs += [(row["total"], row["url"]) for row in sites["by_tier"]]
        pairs += [(row["count"], row["url"]) for row in sites["by_status"]]
        for row in sites["by_tier_and_status"]:
            pairs += [(row["total"], row["url"])]
            pairs += [(cell["count"], cell["url"]) for cell in row["by_status"]]
        for township in sites["by_township"]:
            pairs += [(township["total"], township["url"])]
            pairs += [(tier["total"], tier["url"]) for tier in township["by_tier"]]
    return pairs


@pytest.mark.parametrize("role", [Role.LEADER, Role.TOWNSHIP_OFFICER, Role.AGENCY_OFFICER])
@pytest.mark.parametrize("period", ["2026-05", "2026-Q1", "2026"])
def test_every_figure_counts_what_its_link_lists(api_client, county, users_by_role, role, period):
    api_client.force_authenticate(users_by_role[role])
    data = api_client.get("/api/v1/dashboard/", {"period": period}).json()

    pairs = figures_and_links(data)

    assert len(pairs) > 20
    assert [(figure, count_behind(api_client, url)) for figure, url in pairs] == [
        (figure, figure) for figure, _url in pairs
    ]
