"""Tokens created before in the admin (DRF's authtoken, keys stored in clear) become portal
API tokens: the same key keeps working, now stored as its SHA-256, and expires one lifetime
(API_TOKEN_LIFETIME_DAYS) after this migration. The clear keys are then deleted. A database
that never had DRF's table has nothing to carry over."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DRF_TABLE = "authtoken_token"


def carry_over_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {DRF_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
        ApiToken.objects.bulk_create(
            ApiToken(
                user_id=user_id,
                name="管理后台创建（迁移）",
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                key_prefix=key[:8],
                expires_at=expires_at,
            )
            for key, user_id in rows
        )
        cursor.execute(f"DELETE FROM {DRF_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_api_tokens")]

    operations = [migrations.RunPython(carry_over_drf_tokens, migrations.RunPython.noop)]
