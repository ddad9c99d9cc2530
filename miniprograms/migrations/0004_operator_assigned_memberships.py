"""Declare the assigned-operators many-to-many on Operator instead of accounts.Membership.

Same table (`accounts_membership_operators`), same columns (`membership_id`, `operator_id`),
same rows: only the side that declares it changes, so accounts no longer depends on the register.
A database migrated before the move already has the table (the old accounts 0002 created it);
a new database gets it here.
"""

from django.db import migrations, models

TABLE = "accounts_membership_operators"


def create_table_if_missing(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        return  # created by accounts 0002 before the move: keep it and its rows
    operator = apps.get_model("miniprograms", "Operator")
    schema_editor.create_model(operator._meta.get_field("assigned_memberships").remote_field.through)


def drop_table(apps, schema_editor):
    operator = apps.get_model("miniprograms", "Operator")
    schema_editor.delete_model(operator._meta.get_field("assigned_memberships").remote_field.through)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('miniprograms', '0003_register_extras'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='operator',
                    name='assigned_memberships',
                    field=models.ManyToManyField(blank=True, db_table=TABLE, related_name='operators', to='accounts.membership', verbose_name='assigned to memberships'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_if_missing, drop_table),
    ]
