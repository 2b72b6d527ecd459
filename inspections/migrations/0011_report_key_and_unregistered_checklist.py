from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0010_enforcement_category"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="idempotency_key",
            field=models.UUIDField(
                blank=True, editable=False, null=True, unique=True, verbose_name="report key"
            ),
        ),
        migrations.AddField(
            model_name="checklistitem",
            name="applies_to_unregistered",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Off for questions an illegal point answers by being one (licence shown, "
                    "filed): its report leaves them out."
                ),
                verbose_name="asked at unregistered points",
            ),
        ),
        migrations.AddField(
            model_name="historicalchecklistitem",
            name="applies_to_unregistered",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Off for questions an illegal point answers by being one (licence shown, "
                    "filed): its report leaves them out."
                ),
                verbose_name="asked at unregistered points",
            ),
        ),
    ]
