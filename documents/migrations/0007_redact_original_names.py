"""Stored original file names lose ID and mobile numbers (they become download names)."""

from django.db import migrations

from core.filenames import redact_filename


def redact(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    changed = []
    for doc in Document.objects.only("pk", "original_name").iterator(chunk_size=2000):
        clean = redact_filename(doc.original_name)[:255]
        if clean != doc.original_name:
            doc.original_name = clean
            changed.append(doc)
    Document.objects.bulk_update(changed, ["original_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_clean_stored_text")]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop, elidable=True)]
