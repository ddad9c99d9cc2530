"""Clean stored free text (snooze reasons, notes, the names copied from the register) with
the rule the services now apply (core.text)."""

from django.db import migrations

from core.models import scrub_stored_text

# (field, multi-line) per model, as the fields were when this migration was written.
TEXT_FIELDS = {
    "ComplianceRule": [("title", False), ("description", True), ("source", True)],
    "CalendarOverride": [("note", False)],
    "KnownCalendarYear": [("note", False)],
    "ComplianceItem": [("operator_name", False), ("subject_name", False), ("snooze_reason", False)],
    "ComplianceItemEvent": [("note", False)],
}


def clean_stored_text(apps, schema_editor=None) -> int:
    return sum(
        scrub_stored_text(apps.get_model("compliance", model), fields)
        for model, fields in TEXT_FIELDS.items()
    )


def forwards(apps, schema_editor):
    clean_stored_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0009_verbose_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
