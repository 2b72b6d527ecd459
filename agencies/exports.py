"""领导小组名单及职责: the annex as a spreadsheet."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anji_recycling.xlsx import COUNTY_NAME, SheetWriter, new_workbook

from . import selectors
from .choices import PostRole

ROLE_ORDER = [PostRole.LEADER, PostRole.DEPUTY_LEADER, PostRole.MEMBER, PostRole.OFFICE_DIRECTOR]


def roster_filename(*, as_of: dt.date) -> str:
    return f"领导小组名单及职责_{as_of:%Y%m%d}.xlsx"


def _member_rows(posts):
    """Leader, deputy leaders, members by agency then by township, then the office director."""

    def key(post):
        unit_rank = 0 if post.agency_id else (1 if post.township_id else 0)
        return (ROLE_ORDER.index(post.role), unit_rank, post.sort_order)

    for post in sorted(posts, key=key):
        holders = post.current or [None]
        for holder in holders:
            yield [
                post.get_role_display(),
                holder.person_name if holder else _("(vacant)"),
                post.unit_label or _("Anji County People's Government"),
                holder.job_title if holder else post.title,
                holder.phone if holder else "",
                holder.start_date if holder else None,
            ]


def build_roster_workbook(*, user, as_of: dt.date):
    workbook = new_workbook()
    add_roster_sheets(workbook, user=user, as_of=as_of)
    return workbook


def add_roster_sheets(workbook, *, user, as_of: dt.date) -> None:
    """The roster and the duties as two sheets of `workbook` (also part of the meeting pack)."""
    posts = selectors.leading_group_roster(user=user, as_of=as_of)
    duties = selectors.duty_statements(user=user)
    sheet = SheetWriter(
        workbook, _("Leading group"), widths=[14, 14, 26, 30, 16, 14], freeze="B3", numbered=True
    )
    sheet.ledger_title(
        _(
            "Anji County Leading Group for the Long-term Management of the Recycling Industry: "
            "members and duties"
        ),
        scope=COUNTY_NAME,
        as_of=as_of,
    )
    sheet.header(
        [
            _("Role in the group"),
            pgettext("person", "Name"),
            _("Unit"),
            _("Post"),
            _("Phone"),
            _("Since"),
        ]
    )
    for values in _member_rows(posts):
        sheet.row(values)
    sheet.blank()
    sheet.row([_("The leading group's office is in the county commerce bureau.")])

    duty_sheet = SheetWriter(workbook, _("Duties"), widths=[24, 100], freeze="A3")
    duty_sheet.title(_("Duties of each unit"))
    duty_sheet.header([_("Unit"), _("Duties")])
    for duty in duties:
        duty_sheet.row([duty.holder, duty.text])
