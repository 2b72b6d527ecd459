"""Published periods get their stored objection deadline: the scheme's working days after
publication, as the working-day calendar counts them now (agencies.workdays)."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    from agencies.workdays import WorkCalendar

    HolidayArrangement = apps.get_model("agencies", "HolidayArrangement")
    CalendarYear = apps.get_model("agencies", "CalendarYear")
    calendar = WorkCalendar(
        overrides={
            day: kind == "work"
            for day, kind in HolidayArrangement.objects.values_list("day", "kind")
        },
        complete_years=CalendarYear.objects.filter(complete=True).values_list("year", flat=True),
    )
    Period = apps.get_model("assessments", "AssessmentPeriod")
    periods = Period.objects.filter(status="published", objection_deadline__isnull=True)
    for period in periods.select_related("scheme").exclude(published_at__isnull=True):
        published_on = timezone.localtime(period.published_at).date()
        deadline = calendar.deadline(published_on, period.scheme.objection_days)
        Period.objects.filter(pk=period.pk).update(
            objection_deadline=deadline.day, objection_deadline_provisional=deadline.provisional
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_period_objection_deadline"),
        ("agencies", "0006_holiday_calendar"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
