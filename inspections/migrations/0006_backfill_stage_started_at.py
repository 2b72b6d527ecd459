"""When each open case's current stage (and handling) clock started, read from its timeline, so
that its deadlines can be recomputed when the working-day calendar changes. Cases whose start
cannot be found keep their deadlines as they are."""

from django.db import migrations

# The case events that start a stage's clock (see inspections/state_machine.py).
STARTED_BY = {
    "register": {("reopen", "reported")},
    "dispatch": {("register", "registered"), ("return", "registered")},
    "handle": {("dispatch", "dispatched"), ("verify_fail", "handling"), ("reopen", "handling")},
    "verify": {("finish", "handled")},
}
OPEN = ["reported", "registered", "dispatched", "handling", "handled", "verified"]


def _latest_start(events, stage):
    starts = [event.at for event in events if (event.action, event.to_status) in STARTED_BY[stage]]
    return max(starts, default=None)


def backfill(apps, schema_editor):
    Case = apps.get_model("inspections", "Case")
    CaseEvent = apps.get_model("inspections", "CaseEvent")
    cases = Case.objects.filter(status__in=OPEN, stage_started_at__isnull=True).exclude(stage="")
    for case in cases.iterator():
        events = list(CaseEvent.objects.filter(case_id=case.pk).order_by("at", "pk"))
        started = _latest_start(events, case.stage)
        if case.stage == "register" and started is None:
            started = case.reported_at
        handling = _latest_start(events, "handle") if case.stage in ("handle", "verify") else None
        if started is None and handling is None:
            continue
        Case.objects.filter(pk=case.pk).update(
            stage_started_at=started, handling_started_at=handling
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_case_deadline_basis")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
