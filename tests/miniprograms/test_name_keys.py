"""The operators' pinyin name keys: backfilled by the migration for the rows that exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniprograms.models import Operator

BEFORE = [("miniprograms", "0005_organization_copied_from_operator")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_migration_backfills_the_keys_of_existing_operators():
    # given: operators written before the keys existed
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE, at_end=True).apps
    org = apps.get_model("accounts", "Organization").objects.create(
        name="代理", slug="keys-agency", kind="agency"
    )
    old = apps.get_model("miniprograms", "Operator")
    for i, name in enumerate(["上海", "北京", "Acme"]):
        old.objects.create(
            organization=org, name_zh=name, uscc=f"9144030000000000{i}X", province_id="440000"
        )

    # when
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then: each has its key, and the order by it is pinyin order
    rows = Operator.objects.order_by("name_sort").values_list(
        "name_zh", "name_sort", "name_initials"
    )
    assert list(rows) == [
        ("Acme", "acme", "acme"),
        ("北京", "beijing", "bj"),
        ("上海", "shanghai", "sh"),
    ]
