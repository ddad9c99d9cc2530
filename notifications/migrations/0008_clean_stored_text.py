"""Clean webhook endpoint names, and the names copied into reminders and in-app notifications,
with the rule the services now apply (core.text)."""

from django.db import migrations

from core.models import scrub_stored_text

# (field, multi-line) per model, as the fields were when this migration was written.
TEXT_FIELDS = {
    "WebhookEndpoint": [("name", False)],
    "Reminder": [("subject_name", False)],
    "Notification": [("title", False), ("body", True)],
}


def clean_stored_text(apps, schema_editor=None) -> int:
    return sum(
        scrub_stored_text(apps.get_model("notifications", model), fields)
        for model, fields in TEXT_FIELDS.items()
    )


def forwards(apps, schema_editor):
    clean_stored_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_acknowledged_by_role")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
