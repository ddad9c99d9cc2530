"""Clean the register's stored free text with the rule forms, the API and the importer now
apply (core.text): invisible characters stripped, NFC, control characters and line breaks in
single-line fields replaced by a space."""

from django.db import migrations

from core.models import scrub_stored_text

# (field, multi-line) per model, as the fields were when this migration was written.
TEXT_FIELDS = {
    "Operator": [
        ("name_zh", False),
        ("name_en", False),
        ("uscc", False),
        ("address", False),
        ("entity_number", False),
    ],
    "ResponsiblePerson": [
        ("name", False),
        ("mobile", False),
        ("email", False),
        ("emergency_contact", False),
    ],
    "MiniProgram": [
        ("name", False),
        ("appid", False),
        ("content_category", False),
        ("icp_number", False),
    ],
    "Domain": [
        ("name", False),
        ("site_name", False),
        ("registrar", False),
        ("registrant_name", False),
        ("icp_number", False),
        ("psb_number", False),
    ],
    "PreApproval": [("category", False), ("authority", False), ("licence_number", False)],
    "IcpLicence": [("number", False), ("scope", False)],
}


def clean_stored_text(apps, schema_editor=None) -> int:
    return sum(
        scrub_stored_text(apps.get_model("miniprograms", model), fields)
        for model, fields in TEXT_FIELDS.items()
    )


def forwards(apps, schema_editor):
    clean_stored_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("miniprograms", "0009_dates_within_range")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
