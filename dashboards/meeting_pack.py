"""会议材料: the joint meeting's pack as one workbook, from the dashboard's own selectors.

Sheets: the cover with the headline figures; sites by township and tier; 回收量, what the
collection points delivered; last month's mass-balance flags not cleared yet (进出平衡异常);
the overdue cases with their agencies; the open action items (督办事项); the latest published
assessment ranking; the leading group's roster and duties. Everything is scoped to the user,
like the dashboard, and the cover says which data it shows. The number of queries does not
depend on the data.
"""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agencies.exports import add_roster_sheets
from agencies.meetings import open_action_items
from agencies.workdays import load_calendar
from anji_recycling.anji_time import anji_today, in_anji
from anji_recycling.xlsx import SIGNED, Formatted, SheetWriter, new_workbook
from inspections.deadlines import deadline_label
from inspections.models import Case
from sites.choices import SiteTier
from trade.exports import add_balance_flags_sheet, add_tonnage_sheet

from .periods import Period
from .selectors import Headlines, dashboard_headlines


def meeting_pack_filename(*, headlines: Headlines) -> str:
    return f"联席会议材料_{headlines.scope.name}_{headlines.today:%Y%m%d}.xlsx"


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def _cover(workbook, *, headlines: Headlines, now: dt.datetime) -> None:
    sheet = SheetWriter(workbook, _("Cover"), widths=[34, 22, 50], freeze=None)
    sheet.ledger_title(
        _("Joint meeting pack: long-term management of the recycling industry"),
        scope=headlines.scope.name,
        as_of=headlines.today,
    )
    sheet.row([_("Data shown"), headlines.scope.name])
    sheet.row([_("Period"), headlines.period.label])
    sheet.row([_("Prepared at"), formats.date_format(in_anji(now), "Y-m-d H:i")])
    sheet.blank()
    sheet.header([_("Figure"), _("Value"), _("Note")])
    for label, value, note in _headline_rows(headlines):
        sheet.row([label, value, note])


def _headline_rows(headlines: Headlines):
    cases = headlines.cases
    as_of = _("as of %(date)s") % {"date": _date(headlines.today)}
    in_period = _("in %(period)s") % {"period": headlines.period.label}
    if headlines.sites is not None:
        sites = headlines.sites
        yield _("Sites in the registry"), sites.total, as_of
        for tier in sites.by_tier:
            yield (
                tier.label,
                tier.total,
                _("%(count)d operating") % {"count": tier.operating},
            )
        yield _("Illegal points remaining"), sites.illegal_points, as_of
    if headlines.coverage is not None:
        coverage = headlines.coverage
        yield (
            _("Villages and communities served"),
            _percent(coverage.percent),
            _("%(served)d of %(total)d; target %(target)s for %(year)d")
            % {
                "served": coverage.served_village_count,
                "total": coverage.village_count,
                "target": _percent(coverage.target_percent),
                "year": coverage.year,
            },
        )
        yield (
            _("Townships with an operating transfer station"),
            coverage.townships_with_transfer_station,
            _("of %(count)d") % {"count": coverage.township_count},
        )
    yield _("Open cases"), cases.open, as_of
    yield _("Overdue cases"), cases.overdue, as_of
    yield _("Cases reported"), cases.reported, in_period
    yield _("Cases closed"), cases.closed, in_period
    yield (
        _("Closed on time"),
        _percent(cases.on_time_percent),
        _("%(on_time)d of %(closed)d closed %(period)s")
        % {"on_time": cases.closed_on_time, "closed": cases.closed, "period": in_period},
    )
    if headlines.patrols is not None:
        patrols = headlines.patrols
        yield (
            _("Patrols done on cadence"),
            _percent(patrols.on_cadence_percent),
            _("%(done)d of %(due)d due %(period)s; %(overdue)d overdue now")
            % {
                "done": patrols.done,
                "due": patrols.due,
                "period": in_period,
                "overdue": patrols.overdue,
            },
        )
    if headlines.market is not None:
        market = headlines.market
        yield (
            _("Tonnes delivered by points in the period"),
            market.from_points_tonnes,
            _("stations to the centre: %(tonnes)s t") % {"tonnes": market.from_stations_tonnes},
        )
        yield _("Transfers paid below the board"), market.below_board, in_period
        yield _("Transfers awaiting settlement too long"), market.unsettled_late, as_of
    if headlines.balance_flags is not None:
        flags = headlines.balance_flags
        yield (
            _("Open mass-balance flags, %(month)s") % {"month": f"{flags.month:%Y-%m}"},
            flags.total,
            "；".join(f"{kind['label']} {kind['count']}" for kind in flags.by_kind),
        )
    if headlines.assessment is not None:
        leaders = "、".join(entry.name for entry in headlines.assessment.top)
        yield _("Latest published assessment"), headlines.assessment.period, leaders


def _sites_by_township(workbook, *, headlines: Headlines) -> None:
    if headlines.sites is None:
        return
    tiers = list(SiteTier)
    title = _("Sites by township")
    sheet = SheetWriter(workbook, title, widths=[18] + [16] * (len(tiers) + 1), freeze="A3")
    sheet.ledger_title(title, scope=headlines.scope.name, as_of=headlines.today)
    sheet.header([_("Township"), *[str(tier.label) for tier in tiers], _("Total")])
    for township in headlines.sites.by_township:
        sheet.row([township.name, *[tier.total for tier in township.by_tier], township.total])
    sheet.row(
        [_("Total"), *[tier.total for tier in headlines.sites.by_tier], headlines.sites.total]
    )


def overdue_cases_for_pack(*, user, today: dt.date):
    return (
        Case.objects.visible_to(user)
        .overdue(today=today)
        .select_related("township", "site", "category", "lead_agency")
        .prefetch_related("assisting_agencies")
        .order_by("stage_deadline", "number")
    )


def _overdue_cases(workbook, *, user, scope: str, today: dt.date) -> None:
    title = _("Overdue cases")
    widths = [16, 12, 26, 16, 12, 20, 24, 12, 12]
    sheet = SheetWriter(workbook, title, widths=widths, freeze="B3", numbered=True)
    sheet.ledger_title(title, scope=scope, as_of=today)
    sheet.header(
        [
            _("Case number"),
            _("Township"),
            _("Site"),
            _("Problem category"),
            _("Status"),
            _("Lead agency"),
            _("Assisting agencies"),
            _("Stage deadline"),
            _("Working days overdue"),
        ]
    )
    calendar = load_calendar()  # once for the sheet, not per case or day
    for case in overdue_cases_for_pack(user=user, today=today):
        sheet.row(
            [
                case.number,
                case.township.name,
                case.site.name,
                case.category.name,
                case.get_status_display(),
                case.lead_agency.name if case.lead_agency else _("The township leads"),
                "、".join(agency.name for agency in case.assisting_agencies.all()),
                deadline_label(case.stage_deadline, case.stage_deadline_provisional),
                calendar.working_days_between(case.stage_deadline, today),
            ]
        )


def _action_items(workbook, *, user, scope: str, today: dt.date) -> None:
    title = _("Action items")
    widths = [28, 40, 18, 12, 10, 44]
    sheet = SheetWriter(workbook, title, widths=widths, freeze="B3", numbered=True)
    sheet.ledger_title(title, scope=scope, as_of=today)
    sheet.header(
        [_("Meeting"), _("Task"), _("Agency"), _("Due on"), _("Overdue"), _("Latest progress")]
    )
    for item in open_action_items(user=user):
        updates = list(item.updates.all())
        latest = updates[0] if updates else None
        sheet.row(
            [
                f"{_date(timezone.localtime(item.meeting.starts_at).date())} {item.meeting.title}",
                item.description,
                item.agency.name,
                _date(item.due_on),
                _("Yes") if item.due_on < today else "",
                f"{_date(timezone.localtime(latest.at).date())} {latest.text}" if latest else "",
            ]
        )


def _ranking(workbook, *, headlines: Headlines) -> None:
    sheet = SheetWriter(workbook, _("Assessment ranking"), widths=[8, 18, 12, 10, 16])
    ranking = headlines.assessment
    if ranking is None:
        sheet.row([_("No published assessment yet.")])
        return
    sheet.ledger_title(ranking.period, scope=headlines.scope.name, as_of=headlines.today)
    sheet.header([_("Rank"), _("Township"), _("Score"), _("Grade"), _("Since last period")])
    for entry in ranking.rows:
        change = None if entry.change is None else Formatted(entry.change, SIGNED)
        sheet.row([entry.rank, entry.name, entry.total, entry.grade, change])


def build_meeting_pack(*, user, period: Period, now: dt.datetime | None = None):
    """The workbook and its file name."""
    now = now or timezone.now()
    today = anji_today(now)
    headlines = dashboard_headlines(user=user, period=period, today=today)
    workbook = new_workbook()
    _cover(workbook, headlines=headlines, now=now)
    _sites_by_township(workbook, headlines=headlines)
    if headlines.market is not None:
        add_tonnage_sheet(workbook, user=user, start=period.start, end=period.end)
    scope = headlines.scope.name
    if headlines.balance_flags is not None:
        add_balance_flags_sheet(workbook, user=user, today=today, scope=scope)
    _overdue_cases(workbook, user=user, scope=scope, today=today)
    _action_items(workbook, user=user, scope=scope, today=today)
    _ranking(workbook, headlines=headlines)
    add_roster_sheets(workbook, user=user, as_of=today)
    return workbook, meeting_pack_filename(headlines=headlines)
