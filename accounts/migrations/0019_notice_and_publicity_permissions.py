"""Role permissions for the association's notices (the association and the commerce bureau
publish; every role reads) and publicity activities (the townships and the agencies record
them; the other roles read; the association neither)."""

from django.db import migrations

from ._grants import grant, perms, revoke

NOTICE_READ = ["support.view_associationnotice"]
NOTICE_PUBLISH = perms("support", ("associationnotice",), ["view", "add", "change"])
PUBLICITY_READ = ["support.view_publicityactivity"]
PUBLICITY_RECORD = perms("support", ("publicityactivity",), ["view", "add", "change"])

ROLE_PERMISSIONS = {
    "commerce_admin": [*NOTICE_PUBLISH, *PUBLICITY_RECORD],
    "township_officer": [*NOTICE_READ, *PUBLICITY_RECORD],
    "grid_worker": [*NOTICE_READ, *PUBLICITY_READ],
    "agency_officer": [*NOTICE_READ, *PUBLICITY_RECORD],
    "assessor": [*NOTICE_READ, *PUBLICITY_READ],
    "leader": [*NOTICE_READ, *PUBLICITY_READ],
    "governance_staff": [*NOTICE_READ, *PUBLICITY_RECORD],
    "coop_staff": [*NOTICE_READ, *PUBLICITY_RECORD],
    "association": NOTICE_PUBLISH,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0018_support_permissions"),
        ("support", "0002_notices_and_publicity"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
