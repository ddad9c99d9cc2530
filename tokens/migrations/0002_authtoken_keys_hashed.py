"""DRF's plaintext tokens (`rest_framework.authtoken`, removed) become hashed ApiTokens.

If the `authtoken_token` table exists, each of its keys becomes an ApiToken holding only the
key's SHA-512 digest (named "Token from before <date>", expiring API_TOKEN_TTL_DAYS from now),
so scripts keep working; then the table, and the plaintext keys with it, is dropped. Safe to run
again: without the table there is nothing to do, and a key already converted is skipped.
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def convert(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("tokens", "ApiToken")
    quoted = schema_editor.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {quoted}")  # noqa: S608
        rows = cursor.fetchall()
    expiry = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    for key, user_id, created in rows:
        digest = hash_token(key)
        if ApiToken.objects.filter(digest=digest).exists():
            continue
        token = ApiToken.objects.create(
            digest=digest,
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            name=f"Token from before {timezone.localdate():%Y-%m-%d}",
            expiry=expiry,
        )
        ApiToken.objects.filter(pk=token.pk).update(created=created)  # auto_now_add on create
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quoted}")


class Migration(migrations.Migration):
    dependencies = [
        ("tokens", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop, elidable=False),
    ]
