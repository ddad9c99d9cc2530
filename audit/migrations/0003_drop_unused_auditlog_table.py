"""With AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry", django-auditlog 3.4's own migrations
still create its `auditlog_logentry` table, which stays empty but keeps foreign keys to users
and content types: `flush` (and every transactional test) then fails on PostgreSQL
(jazzband/django-auditlog#804, fixed upstream by making the model swappable). Drop the table
while it is empty; a table with rows is left alone."""

from django.db import migrations

TABLE = "auditlog_logentry"


def drop_if_empty(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return
        cursor.execute(f"SELECT 1 FROM {TABLE} LIMIT 1")
        if cursor.fetchone() is not None:
            return
    schema_editor.execute(f"DROP TABLE {TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(drop_if_empty, migrations.RunPython.noop, elidable=False)]
