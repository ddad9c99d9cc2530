"""`organization` on reminders and notifications becomes a copy: the operator's, the reminder's.

Not editable any more (no form, no admin); any row that disagreed is set to the source's
organization, which is what the scope already used.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def copy_from_source(apps, schema_editor):
    sources = apps.get_model("miniprograms", "Operator").objects
    source = Subquery(sources.filter(pk=OuterRef("operator_id")).values("organization_id")[:1])
    rows = apps.get_model("notifications", "Reminder").objects
    rows.exclude(organization_id=F("operator__organization_id")).update(organization_id=source)

    sources = apps.get_model("notifications", "Reminder").objects
    source = Subquery(sources.filter(pk=OuterRef("reminder_id")).values("organization_id")[:1])
    rows = apps.get_model("notifications", "Notification").objects
    rows.exclude(organization_id=F("reminder__organization_id")).update(organization_id=source)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('miniprograms', '0003_register_extras'),
        ('notifications', '0002_encrypt_webhook_urls'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, to='accounts.organization'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, to='accounts.organization'),
        ),
        migrations.RunPython(copy_from_source, migrations.RunPython.noop),
    ]
