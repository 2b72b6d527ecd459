"""Recovery per resident (人均回收量) on the market dashboard: the kilograms a township's
collection points delivered in the period, divided by its latest population up to the period's
year, which the commerce bureau enters with its source (history kept); 未录入人口 where none is.

By hand, 递铺街道 in March 2026: its point delivered 1 234.5 + 765.5 = 2 000 kg (its station's
5 000 kg to the centre and February's 1 000 kg do not count); population 2026: 16 000, so
2 000 ÷ 16 000 = 0.125 → 0.13 kg per resident. In December 2025 its point delivered 400 kg and
the 2025 population (8 000) applies: 400 ÷ 8 000 = 0.05. 昌硕街道 has no population."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as agency_services
from agencies.models import Township, TownshipPopulation
from trade.recovery import recovery_per_resident

from .conftest import CHANGSHUO, DIPU, deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def enter(township, year, population, actor, source="演示数据"):
    return agency_services.save_township_population(
        population=TownshipPopulation(
            township=township, year=year, population=population, source=source
        ),
        actor=actor,
    )


@pytest.fixture
def deliveries(network, paper, plastic, commerce_admin):
    n, a = network, commerce_admin
    for weight, on in (
        ("1234.5", dt.date(2026, 3, 3)),
        ("765.5", dt.date(2026, 3, 24)),
        ("1000", dt.date(2026, 2, 20)),
        ("400", dt.date(2025, 12, 9)),
    ):
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight=weight,
            on=on,
        )
    deliver(
        actor=a,
        from_site=n.dipu_station,
        to_site=n.centre,
        material=paper,
        weight="5000",
        on=dt.date(2026, 3, 25),
    )
    deliver(
        actor=a,
        from_site=n.cs_point,
        to_site=n.cs_station,
        material=plastic,
        weight="300",
        on=dt.date(2026, 3, 12),
    )
    dipu = Township.objects.get(code=DIPU)
    enter(dipu, 2025, 8000, a)
    enter(dipu, 2026, 16000, a, source="安吉县统计年鉴（示例出处）")
    return dipu


def rows_by_code(user, start, end):
    rows = recovery_per_resident(user=user, start=start, end=end)
    codes = dict(Township.objects.values_list("pk", "code"))
    return {codes[row.township_id]: row for row in rows}


def test_the_figure_is_the_hand_computed_one(deliveries, commerce_admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        recovery_per_resident(user=commerce_admin, start=MARCH[0], end=MARCH[1])
    rows = rows_by_code(commerce_admin, *MARCH)
    assert len(rows) == 15  # every township of the county, with or without a population
    dipu = rows[DIPU]
    assert (dipu.weight_kg, dipu.population, dipu.population_year) == (Decimal("2000"), 16000, 2026)
    assert dipu.kg_per_resident == Decimal("0.13")
    changshuo = rows[CHANGSHUO]
    assert (changshuo.weight_kg, changshuo.population) == (Decimal("300"), None)
    assert changshuo.kg_per_resident is None


def test_the_population_of_the_periods_year_applies(deliveries, commerce_admin):
    december = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    dipu = rows_by_code(commerce_admin, *december)[DIPU]
    assert (dipu.weight_kg, dipu.population, dipu.kg_per_resident) == (
        Decimal("400"),
        8000,
        Decimal("0.05"),
    )


def test_a_township_sees_its_own_figure_only(deliveries, dipu_officer):
    assert list(rows_by_code(dipu_officer, *MARCH)) == [DIPU]


def test_the_dashboard_shows_the_figure_or_no_population(
    client, deliveries, commerce_admin, django_assert_max_num_queries
):
    client.force_login(commerce_admin)
    url = f"{reverse('trade:dashboard')}?start=2026-03&end=2026-03"
    with django_assert_max_num_queries(12):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    dipu_row = html.split(f'data-township="{deliveries.pk}"')[1].split("</tr>")[0]
    assert 'data-figure="kg-per-resident">0.13<' in dipu_row
    assert "16000" in dipu_row and "安吉县统计年鉴（示例出处）" in dipu_row
    changshuo = Township.objects.get(code=CHANGSHUO)
    cs_row = html.split(f'data-township="{changshuo.pk}"')[1].split("</tr>")[0]
    assert "未录入人口" in cs_row
    # The kilograms link to the transfers behind them.
    link = dipu_row.split('href="')[1].split('"')[0].replace("&amp;", "&")
    listed = client.get(link).context["object_list"]
    assert sorted(t.weight_kg for t in listed) == [Decimal("765.5"), Decimal("1234.5")]


def test_the_query_count_does_not_grow_with_populations(
    client, deliveries, commerce_admin, django_assert_max_num_queries
):
    for township in Township.objects.exclude(code=DIPU):
        enter(township, 2026, 30000, commerce_admin)
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(12):
        client.get(f"{reverse('trade:dashboard')}?start=2026-03&end=2026-03")


def test_the_commerce_bureau_enters_a_population_on_the_township_page(client, commerce_admin):
    dipu = Township.objects.get(code=DIPU)
    client.force_login(commerce_admin)
    page = client.get(dipu.get_absolute_url()).content.decode()
    create = reverse("agencies:population-create", args=[dipu.pk])
    assert create in page
    response = client.post(create, {"year": 2025, "population": 61234, "source": " 演示数据 "})
    assert response.status_code == 302
    row = TownshipPopulation.objects.get(township=dipu)
    assert (row.year, row.population, row.source, row.entered_by) == (
        2025,
        61234,
        "演示数据",
        commerce_admin,
    )
    client.post(
        reverse("agencies:population-update", args=[row.pk]),
        {"year": 2025, "population": 62000, "source": "演示数据"},
    )
    assert [h.population for h in row.history.order_by("history_date")] == [61234, 62000]
    history = client.get(reverse("agencies:population-history", args=[row.pk]))
    assert history.status_code == 200


def test_a_township_officer_reads_but_does_not_enter(client, dipu_officer, commerce_admin):
    dipu = Township.objects.get(code=DIPU)
    row = enter(dipu, 2025, 8000, commerce_admin)
    client.force_login(dipu_officer)
    page = client.get(dipu.get_absolute_url()).content.decode()
    assert "8000" in page
    assert reverse("agencies:population-create", args=[dipu.pk]) not in page
    create = reverse("agencies:population-create", args=[dipu.pk])
    assert client.post(create, {"year": 2024, "population": 1, "source": "x"}).status_code == 403
    update = reverse("agencies:population-update", args=[row.pk])
    assert client.post(update, {"year": 2025, "population": 1, "source": "x"}).status_code == 403
    assert TownshipPopulation.objects.get().population == 8000


@pytest.mark.parametrize(
    ("year", "population", "source", "field", "message"),
    [
        (2027, 1000, "演示数据", "year", "年份"),
        (2025, 0, "演示数据", "population", "1"),
        (2025, 1000, "   ", "source", "出处"),
    ],
)
def test_bad_input_is_refused_in_chinese(commerce_admin, year, population, source, field, message):
    from django.utils import translation

    dipu = Township.objects.get(code=DIPU)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        enter(dipu, year, population, commerce_admin, source=source)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not TownshipPopulation.objects.exists()


def test_a_second_entry_for_the_same_year_is_refused(commerce_admin):
    from django.utils import translation

    dipu = Township.objects.get(code=DIPU)
    enter(dipu, 2025, 8000, commerce_admin)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        enter(dipu, 2025, 9000, commerce_admin)
    assert "已录入" in str(error.value)
    assert TownshipPopulation.objects.get().population == 8000
