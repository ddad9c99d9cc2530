"""ImportRun moved from reports to imports without touching its table or its rows."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from imports.models import ImportRun

BEFORE = [("reports", "0001_initial"), ("imports", None)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_rows_written_before_the_move_are_read_by_the_imports_app(org, manager):
    # given: the schema as it was, with ImportRun in reports, and one row in it
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state([("reports", "0001_initial")]).apps
    old_import_run = old_apps.get_model("reports", "ImportRun")
    old = old_import_run.objects.create(
        organization_id=org.pk, user_id=manager.pk, file="x.csv", filename="kept.csv"
    )

    # when: migrating forward to the current schema
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then: same table, same row, now the imports app's model
    assert ImportRun._meta.db_table == "reports_importrun"
    assert ImportRun.objects.get(pk=old.pk).filename == "kept.csv"
    assert connection.vendor == "postgresql"
    # and its content type (permissions, admin history) followed the model
    moved = ContentType.objects.filter(model="importrun").values_list("app_label", flat=True)
    assert list(moved) == ["imports"]
