"""Clean the applications' stored free text (notes, reasons, comments) with the rule the
services now apply (core.text); what it would refuse becomes a space or, in multi-line
text, stays a line break."""

from django.db import migrations

from core.models import scrub_stored_text

# (field, multi-line) per model, as the fields were when this migration was written.
TEXT_FIELDS = {
    "FilingApplication": [("icp_number", False), ("reference", False), ("notes", True)],
    "FilingStatusChange": [("note", True), ("override_reason", True)],
    "RejectionReason": [
        ("field", False),
        ("field_text", False),
        ("error", True),
        ("suggestion", True),
    ],
    "FilingComment": [("body", True)],
}


def clean_stored_text(apps, schema_editor=None) -> int:
    return sum(
        scrub_stored_text(apps.get_model("filings", model), fields)
        for model, fields in TEXT_FIELDS.items()
    )


def forwards(apps, schema_editor):
    clean_stored_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("filings", "0009_dates_within_range")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
