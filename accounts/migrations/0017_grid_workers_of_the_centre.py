"""Grid workers belong to the social governance centre as their agency as well as to their
township (annex: 社会治理中心将再生资源行业管理纳入网格队伍岗位职责)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    User = apps.get_model("accounts", "User")
    centre = Agency.objects.filter(code="governance").first()
    if centre is not None:
        User.objects.filter(role="grid_worker", agency__isnull=True).update(agency=centre)


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(role="grid_worker", agency__code="governance").update(agency=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0016_agency_role_permissions"), ("agencies", "0007_centre_market_category")]

    operations = [migrations.RunPython(forwards, backwards)]
