"""`organization` on the register's operator-owned rows becomes a copy of the operator's.

Not editable any more (no form, no admin); any row that disagreed with its operator is set to
the operator's organization, which is what the scope already used.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery

MODELS = ("ResponsiblePerson", "MiniProgram", "Domain", "PreApproval", "IcpLicence")


def copy_from_operator(apps, schema_editor):
    operators = apps.get_model("miniprograms", "Operator").objects
    source = Subquery(operators.filter(pk=OuterRef("operator_id")).values("organization_id")[:1])
    for name in MODELS:
        rows = apps.get_model("miniprograms", name).objects
        rows.exclude(organization_id=F("operator__organization_id")).update(organization_id=source)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('miniprograms', '0004_operator_assigned_memberships'),
    ]

    operations = [
        migrations.AlterField(
            model_name='domain',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.AlterField(
            model_name='icplicence',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.AlterField(
            model_name='miniprogram',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.AlterField(
            model_name='preapproval',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.AlterField(
            model_name='responsibleperson',
            name='organization',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, to='accounts.organization'),
        ),
        migrations.RunPython(copy_from_operator, migrations.RunPython.noop),
    ]
