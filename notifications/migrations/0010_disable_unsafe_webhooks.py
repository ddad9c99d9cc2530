from django.db import migrations


def disable_unsafe(apps, schema_editor):
    from notifications.webhook_audit import disable_unsafe_webhooks

    disable_unsafe_webhooks(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0009_webhook_removal_reasons"),
    ]

    operations = [migrations.RunPython(disable_unsafe, migrations.RunPython.noop)]
