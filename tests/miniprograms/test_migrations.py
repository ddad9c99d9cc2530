"""Migrations of the organization work keep data (run against the test database, PostgreSQL).

A database migrated before the move has the assigned-operators table created by the old
accounts 0002 (the field on Membership). Migrating it forward must keep the table and its rows,
and set any organization copy that disagreed with its operator to the operator's.
"""

from __future__ import annotations

import pytest
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from accounts.models import Membership
from miniprograms.models import MiniProgram

BEFORE = [("miniprograms", "0003_register_extras")]
# What accounts 0002 did before the field moved to Operator.
OLD_FIELD = migrations.AddField(
    model_name="membership",
    name="operators",
    field=models.ManyToManyField(
        blank=True,
        related_name="assigned_memberships",
        to="miniprograms.operator",
        verbose_name="assigned operators",
    ),
)


def _old_database():
    """Migrate back before the move and recreate the table the way the old history made it."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    state = MigrationExecutor(connection).loader.project_state(BEFORE, at_end=True)
    old_state = state.clone()
    OLD_FIELD.state_forwards("accounts", old_state)
    with connection.schema_editor() as editor:
        OLD_FIELD.database_forwards("accounts", editor, state, old_state)
    return old_state.apps


def _seed(apps) -> dict[str, int]:
    organization = apps.get_model("accounts", "Organization")
    org = organization.objects.create(name="代理", slug="old-agency", kind="agency")
    elsewhere = organization.objects.create(name="别家", slug="old-elsewhere", kind="agency")
    user = apps.get_model("accounts", "User").objects.create(username="old-staff")
    membership = apps.get_model("accounts", "Membership").objects.create(
        user=user, organization=org, role="client", limited_to_assigned=True
    )
    op = apps.get_model("miniprograms", "Operator").objects.create(
        organization=org, name_zh="老客户有限公司", uscc="91440300000000001X", province_id="440000"
    )
    membership.operators.add(op)
    # A copy that disagrees with its operator, as the editable field allowed.
    mp = apps.get_model("miniprograms", "MiniProgram").objects.create(
        organization=elsewhere, operator=op, name="老小程序", platform="wechat", appid="wx1"
    )
    return {"org": org.pk, "membership": membership.pk, "operator": op.pk, "mp": mp.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_assigned_operators_and_organizations_survive_the_migrations():
    # given: a database as it was before the move, with an assignment and a drifted copy
    ids = _seed(_old_database())

    # when: it is migrated to the latest state
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then: the same row, read through the field's new home; the copy follows the operator
    membership = Membership.objects.get(pk=ids["membership"])
    assert list(membership.operators.values_list("pk", flat=True)) == [ids["operator"]]
    assert MiniProgram.objects.get(pk=ids["mp"]).organization_id == ids["org"]


def test_accounts_migrations_depend_on_nothing_above_accounts():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    above = {"miniprograms", "filings", "compliance", "documents", "notifications", "reports"}
    for key in graph.nodes:
        if key[0] == "accounts":
            parents = {app for app, _ in graph.node_map[key].parents}
            assert not parents & above, key
