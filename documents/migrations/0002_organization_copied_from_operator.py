"""`organization` on documents becomes a copy of the operator's.

Not editable any more (no form, no admin); any row that disagreed is set to the operator's
organization, which is what the scope already used.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def copy_from_source(apps, schema_editor):
    sources = apps.get_model("miniprograms", "Operator").objects
    source = Subquery(sources.filter(pk=OuterRef("operator_id")).values("organization_id")[:1])
    rows = apps.get_model("documents", "Document").objects
    rows.exclude(organization_id=F("operator__organization_id")).update(organization_id=source)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('documents', '0001_initial'),
        ('miniprograms', '0003_register_extras'),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.RunPython(copy_from_source, migrations.RunPython.noop),
    ]
