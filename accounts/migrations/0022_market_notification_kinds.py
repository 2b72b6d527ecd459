"""The market's notifications get kinds of their own (they were 'other'): mass-balance flags
and settlement reminders, found again by their deduplication keys (trade/reminders.py)."""

from django.db import migrations, models

PREFIXES = {"balance-flag:": "balance_flag", "unsettled:": "settlement_due"}


def name_the_market_kinds(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    for prefix, kind in PREFIXES.items():
        Notification.objects.filter(kind="other", dedupe_key__startswith=prefix).update(kind=kind)


def back_to_other(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.filter(kind__in=PREFIXES.values()).update(kind="other")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0021_association_reads_the_market")]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("patrol_task", "Patrol task"),
                    ("meeting_reminder", "Meeting reminder"),
                    ("action_item", "Action item"),
                    ("case_overdue", "Overdue case"),
                    ("case_escalated", "Escalated case"),
                    ("licence_expiring", "Licence expiring"),
                    ("filing_overdue", "Filing overdue"),
                    ("association_notice", "Association notice"),
                    ("balance_flag", "Mass-balance flag"),
                    ("settlement_due", "Settlement reminder"),
                    ("other", "Other"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(name_the_market_kinds, back_to_other),
    ]
