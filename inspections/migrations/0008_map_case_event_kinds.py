"""Case events whose action is none of the enumerated kinds (CaseEventKind) become "other",
their text kept in the comment, so that the check constraint of the next migration holds."""

from django.db import migrations

# The kinds as this migration knows them (CaseEventKind at the time).
KINDS = {
    "reported", "joined", "register", "dismiss", "dispatch", "accept", "return", "finish",
    "verify_pass", "verify_fail", "close", "reopen", "reroute", "assign", "assist_added",
    "assist_removed", "part_done", "part_waived", "request_extension", "request_postponement",
    "extension_approved", "extension_refused", "postponement_approved", "postponement_refused",
    "enforcement_rectification_order", "enforcement_warning", "enforcement_fine",
    "enforcement_seizure", "enforcement_licence_revocation", "enforcement_ban",
    "enforcement_referral", "deadline_recomputed", "demo", "other",
}


def map_unknown_kinds(apps, schema_editor):
    CaseEvent = apps.get_model("inspections", "CaseEvent")
    for event in CaseEvent.objects.exclude(action__in=KINDS).iterator():
        event.comment = f"[{event.action}] {event.comment}".strip()
        event.action = "other"
        event.save(update_fields=["action", "comment"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0007_add_joint_part")]

    # Backwards: the mapped rows stay "other" (their old action is in the comment).
    operations = [migrations.RunPython(map_unknown_kinds, migrations.RunPython.noop)]
