"""Clean organization names with the rule the services now apply (core.text)."""

from django.db import migrations

from core.models import scrub_stored_text

# (field, multi-line) per model, as the fields were when this migration was written.
TEXT_FIELDS = {"Organization": [("name", False)]}


def clean_stored_text(apps, schema_editor=None) -> int:
    return sum(
        scrub_stored_text(apps.get_model("accounts", model), fields)
        for model, fields in TEXT_FIELDS.items()
    )


def forwards(apps, schema_editor):
    clean_stored_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_organization_acknowledgement_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
