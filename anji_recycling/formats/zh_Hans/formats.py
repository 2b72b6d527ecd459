"""Chinese input formats with ISO 8601 first (Django's put 2016/09/05 first).

Every widget that does not name its own format renders the first of these: the admin's date
and time fields, and its calendar, which writes the same format. ISO 8601 (2027-06-30, also
China's GB/T 7408) is what the portal's own pickers show, so a date reads the same in the
portal and the admin. The time keeps its seconds first, so that saving an admin form does not
drop them. Every format Django accepts for Chinese is still accepted."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05'
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%n月%j日",  # '2016年9月5日'
]

TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # '20:45:29'
    "%H:%M",  # '20:45'
    "%H:%M:%S.%f",  # '20:45:29.000200'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M:%S.%f",  # '2016/09/05 20:45:29.000200'
    "%Y年%n月%j日 %H:%M",  # '2016年9月5日 14:45'
    "%Y年%n月%j日 %H:%M:%S",  # '2016年9月5日 20:45:29'
]
