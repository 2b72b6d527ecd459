"""Anji's clock: the county reads every date and time in Beijing time (Asia/Shanghai). The one
place the code names the zone (settings.TIME_ZONE says it for Django); apps ask these."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

ANJI = ZoneInfo("Asia/Shanghai")


def anji_today(now: dt.datetime | None = None) -> dt.date:
    """The date in Anji now (or at `now`), whatever zone the process runs in."""
    return timezone.localdate(now, timezone=ANJI)


def in_anji(moment: dt.datetime) -> dt.datetime:
    """An aware time as the clock in Anji shows it."""
    return moment.astimezone(ANJI)


def anji_moment(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """That wall-clock time on that day in Anji."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ANJI)
