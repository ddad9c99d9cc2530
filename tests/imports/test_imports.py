"""Import: preview validates every row through the services; commit is all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.exceptions import ApplicationError, PermissionDeniedError
from imports import reader
from imports import services as import_services
from imports.models import ImportRun, ImportStatus
from imports.tasks import import_commit_task, import_preview_task
from miniprograms.models import Domain, MiniProgram, Operator, ResponsiblePerson
from tests.factories import valid_uscc

from .helpers import portfolio_sheets, xlsx

pytestmark = pytest.mark.django_db

MODELS = (Operator, MiniProgram, Domain, ResponsiblePerson)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in MODELS)


def _dump() -> list:
    """Everything an import can write, without timestamps or ciphertext (random IV)."""
    return [
        sorted(
            Operator.objects.values_list(
                "organization",
                "name_zh",
                "name_en",
                "entity_type",
                "uscc",
                "province",
                "entity_number",
                "updated_at",
            )
        ),
        sorted(
            MiniProgram.objects.values_list(
                "operator__uscc",
                "name",
                "kind",
                "platform",
                "appid",
                "launch_date",
                "lifecycle",
                "icp_number",
                "updated_at",
            )
        ),
        sorted(
            Domain.objects.values_list(
                "operator__uscc", "name", "registrar", "expires_on", "icp_number", "updated_at"
            )
        ),
        sorted(
            ResponsiblePerson.objects.values_list(
                "operator__uscc",
                "role",
                "name",
                "id_number_hash",
                "mobile",
                "miniprogram__appid",
                "updated_at",
            )
        ),
    ]


def _upload(api, user, content: bytes, name: str = "portfolio.xlsx", **extra):
    return api(user).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile(name, content), **extra},
        format="multipart",
    )


def test_one_bad_row_among_many_writes_nothing_and_reports_exactly_that_row(api, manager, org):
    # given: 40 operators with 200 rows in all; one filing number is malformed (row 28)
    sheets = portfolio_sheets(40)
    sheets["domains"][27][4] = "粤ICP备123号-2"
    before = _counts()

    # when
    response = _upload(api, manager, xlsx(sheets))

    # then
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "invalid"
    assert body["row_count"] == 200
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert (error["sheet"], error["row"], error["field"]) == ("domains", 28, "icp_number")
    assert "'123' has 3" in error["reason"]
    assert _counts() == before

    # and the commit is refused, still writing nothing
    commit = api(manager).post(f"/api/v1/imports/{body['id']}/commit/")
    assert commit.status_code == 409
    assert _counts() == before


def test_clean_import_then_same_file_again_leaves_the_same_database(api, manager, org):
    content = xlsx(portfolio_sheets(30))

    first = _upload(api, manager, content).json()
    assert first["status"] == "valid", first["errors"]
    assert _counts() == (0, 0, 0, 0)  # the preview wrote nothing
    committed = api(manager).post(f"/api/v1/imports/{first['id']}/commit/")
    assert committed.status_code == 200
    assert committed.json()["status"] == "committed"
    assert _counts() == (30, 30, 30, 60)
    assert committed.json()["summary"]["operators"] == {"create": 30, "update": 0, "unchanged": 0}
    assert not ImportRun.objects.get(pk=first["id"]).file  # the upload (PII) is not kept
    snapshot = _dump()

    second = _upload(api, manager, content).json()
    assert second["status"] == "valid"
    api(manager).post(f"/api/v1/imports/{second['id']}/commit/")

    assert _counts() == (30, 30, 30, 60)
    assert _dump() == snapshot
    summary = ImportRun.objects.get(pk=second["id"]).summary
    assert all(c["create"] == c["update"] == 0 for c in summary.values())
    assert sum(c["unchanged"] for c in summary.values()) == 150


def test_rows_are_matched_by_their_operators_organization_not_the_copied_column(
    api, manager, org, other_org
):
    # given: an imported file, then copies of `organization` that disagree with the operator
    content = xlsx(portfolio_sheets(1))
    first = _upload(api, manager, content).json()
    api(manager).post(f"/api/v1/imports/{first['id']}/commit/")
    for model in (MiniProgram, Domain, ResponsiblePerson):
        model.objects.update(organization=other_org)  # bypasses save(), as a stale copy would
    snapshot = _dump()

    # when: the same file again
    second = _upload(api, manager, content).json()

    # then: every row is found through its operator, as the scope reads it
    assert second["status"] == "valid", second["errors"]
    summary = ImportRun.objects.get(pk=second["id"]).summary
    assert sum(c["unchanged"] for c in summary.values()) == 5
    assert all(c["create"] == c["update"] == 0 for c in summary.values())
    assert _counts() == (1, 1, 1, 2)
    assert _dump() == snapshot


def test_rows_depending_on_a_bad_row_are_not_reported_twice(api, manager, org):
    # given: operator row 3 has a mistyped USCC, and its services and people refer to it
    sheets = portfolio_sheets(3)
    good, bad = sheets["主办单位"][2][3], "91440300MA5F000000"
    for rows in sheets.values():
        for row in rows:
            row[:] = [bad if cell == good else cell for cell in row]

    body = _upload(api, manager, xlsx(sheets)).json()

    assert [(e["sheet"], e["row"], e["field"]) for e in body["errors"]] == [("主办单位", 3, "uscc")]


def test_services_normalise_imported_values_like_the_forms(api, manager, org):
    content = xlsx(portfolio_sheets(1, start=7))
    run = _upload(api, manager, content).json()
    api(manager).post(f"/api/v1/imports/{run['id']}/commit/")

    op = Operator.objects.get()
    mp = MiniProgram.objects.get()
    assert (op.province_id, op.entity_type, op.organization) == ("440000", "4", org)
    assert (mp.platform, mp.lifecycle, mp.icp_number) == (
        "wechat",
        "live",
        "粤ICP备2024000007号-1X",
    )
    person = ResponsiblePerson.objects.get(role="service")
    assert person.miniprogram == mp
    assert person.id_number_masked.startswith("110105")


def test_changed_value_is_updated_through_the_update_service(api, manager, org):
    sheets = portfolio_sheets(2)
    run = _upload(api, manager, xlsx(sheets)).json()
    api(manager).post(f"/api/v1/imports/{run['id']}/commit/")
    sheets["主办单位"][1][1] = "Renamed Ltd"

    again = _upload(api, manager, xlsx(sheets)).json()
    assert again["summary"]["operators"] == {"create": 0, "update": 1, "unchanged": 1}
    api(manager).post(f"/api/v1/imports/{again['id']}/commit/")

    assert Operator.objects.filter(name_en="Renamed Ltd").count() == 1


def test_csv_with_chinese_headers_is_recognised(api, manager, org):
    csv_text = f"主办单位名称,统一社会信用代码,省份\n深圳某某科技有限公司,{valid_uscc(42)},粤\n"

    run = _upload(api, manager, csv_text.encode("utf-8-sig"), name="ops.csv").json()

    assert run["status"] == "valid", run["errors"]
    api(manager).post(f"/api/v1/imports/{run['id']}/commit/")
    assert Operator.objects.get().name_zh == "深圳某某科技有限公司"


def test_row_errors_name_the_column_for_format_and_reference_problems(api, manager, org):
    sheets = {
        "operators": [["name_zh", "uscc", "province"], ["某公司", "123", "火星"]],
        "domains": [["operator", "name", "expires_on"], ["nobody", "example.cn", "31/12/2030"]],
    }

    run = _upload(api, manager, xlsx(sheets)).json()

    assert sorted((e["sheet"], e["row"], e["field"]) for e in run["errors"]) == [
        ("domains", 2, "expires_on"),
        ("domains", 2, "operator"),
        ("operators", 2, "province"),
    ]


def test_templates_in_both_languages_import_back(client, manager, org):
    client.force_login(manager)
    for lang, sheet_title, first_header in (
        ("en", "Operators", "Legal name (Chinese) *"),
        ("zh-hans", "主办单位", "主办单位名称 *"),
    ):
        response = client.get(f"/reports/imports/template.xlsx?lang={lang}")
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.worksheets[0].title == sheet_title
        assert wb.worksheets[0].cell(1, 1).value == first_header
        tables, errors = reader.read_file(response.content, "template.xlsx")
        assert errors == []
        assert [t.key for t in tables] == ["operators", "miniprograms", "domains", "persons"]

    csv_template = client.get("/reports/imports/template.csv?sheet=domains&lang=zh-hans")
    assert csv_template.content.decode("utf-8-sig").startswith("主办单位（信用代码或名称）,域名")


def test_template_of_an_unknown_sheet_is_404_on_the_page_and_in_the_api(client, api, manager):
    client.force_login(manager)

    assert client.get("/reports/imports/template.csv?sheet=users").status_code == 404
    assert api(manager).get("/api/v1/imports/template.csv?sheet=users").status_code == 404


@pytest.mark.real_queue
def test_every_file_is_validated_and_imported_by_tasks(
    api, manager, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _upload(api, manager, xlsx(portfolio_sheets(5)))
    assert response.status_code == 202
    assert len(callbacks) == 1
    run_id = response.json()["id"]
    # nothing was read in the request: the run waits for the worker
    assert (response.json()["status"], response.json()["row_count"]) == ("pending", 0)
    assert response["Location"] == response.json()["url"] == f"/api/v1/imports/{run_id}/"

    import_preview_task(run_id)
    import_preview_task(run_id)  # redelivery: the run is no longer pending, nothing happens

    run = ImportRun.objects.get(pk=run_id)
    assert (run.status, run.progress, run.row_count) == (ImportStatus.VALID, 100, 25)
    with django_capture_on_commit_callbacks() as callbacks:
        commit = api(manager).post(f"/api/v1/imports/{run_id}/commit/")
    assert commit.status_code == 202
    assert commit.json()["status"] == "queued"
    assert len(callbacks) == 1
    assert _counts() == (0, 0, 0, 0)

    import_commit_task(run_id)
    import_commit_task(run_id)

    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED
    assert _counts() == (5, 5, 5, 10)


def test_viewer_cannot_import(api, viewer, org):
    response = _upload(api, viewer, xlsx(portfolio_sheets(1)), organization=org.pk)

    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


def test_import_into_another_organization_is_refused(api, manager, other_org):
    # Another tenant's organization is answered like one that does not exist.
    with pytest.raises(ApplicationError, match="Choose the organization") as excinfo:
        import_services.import_run_create(
            user=manager, content=b"", filename="x.csv", organization_id=other_org.pk
        )
    assert not isinstance(excinfo.value, PermissionDeniedError)
    assert ImportRun.objects.count() == 0


def test_someone_elses_import_run_is_404(api, manager, other_manager, org):
    run = _upload(api, manager, xlsx(portfolio_sheets(1))).json()

    assert api(other_manager).get(f"/api/v1/imports/{run['id']}/").status_code == 404
    assert api(other_manager).post(f"/api/v1/imports/{run['id']}/commit/").status_code == 404
    assert _counts() == (0, 0, 0, 0)
    assert ImportRun.objects.get(pk=run["id"]).status == run["status"] == ImportStatus.VALID


def test_dashboard_upload_preview_and_commit(client, manager, org):
    client.force_login(manager)
    upload = SimpleUploadedFile("p.xlsx", xlsx(portfolio_sheets(2)))

    response = client.post("/reports/imports/", {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 202
    assert response["Content-Location"] == f"/reports/imports/{run.pk}/"
    assert 'data-testid="import-status"' in response.content.decode()
    page = client.get(f"/reports/imports/{run.pk}/status/").content.decode()
    assert 'data-status="valid"' in page

    client.post(f"/reports/imports/{run.pk}/commit/")

    assert _counts() == (2, 2, 2, 4)


@pytest.mark.real_queue
def test_the_upload_page_answers_202_and_polls_the_run_until_the_worker_is_done(
    client, manager, org, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    upload = SimpleUploadedFile("p.xlsx", xlsx(portfolio_sheets(2)))

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/reports/imports/", {"file": upload})

    run = ImportRun.objects.get()
    html = response.content.decode()
    assert (response.status_code, run.status, len(callbacks)) == (202, "pending", 1)
    assert 'data-status="pending"' in html
    assert f'hx-get="/reports/imports/{run.pk}/status/"' in html
    assert _counts() == (0, 0, 0, 0)

    import_preview_task(run.pk)

    page = client.get(f"/reports/imports/{run.pk}/status/").content.decode()
    assert 'data-status="valid"' in page
    assert "hx-get" not in page  # done: the polling stops


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_still_open(manager, org):
    """Progress goes through its own connection, so pollers see it before the commit."""
    from django.db import transaction

    from core.progress import progress_writer

    run = ImportRun.objects.create(organization=org, user=manager, file="x.csv", filename="x.csv")
    report = progress_writer(ImportRun, run.pk)

    with transaction.atomic():
        report(40)
        transaction.set_rollback(True)  # the import's own writes are thrown away …

    run.refresh_from_db()
    assert run.progress == 40  # … but the progress was committed on the side


def test_import_page_lists_only_the_users_own_runs_and_is_linked_from_reports(
    manager, other_manager, org, client
):
    mine = ImportRun.objects.create(organization=org, user=manager, file="a.csv", filename="a.csv")
    ImportRun.objects.create(organization=org, user=other_manager, file="b.csv", filename="b.csv")
    client.force_login(manager)

    page = client.get("/reports/imports/")
    reports_page = client.get("/reports/").content.decode()

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/reports/imports/{mine.pk}/"' in html
    assert "b.csv" not in html
    assert 'action="/reports/imports/"' in html
    assert 'href="/reports/imports/"' in reports_page


@pytest.mark.parametrize("step", ["preview", "commit"], ids=["preview_case", "commit_case"])
def test_an_unexpected_error_marks_the_run_failed_and_writes_nothing(
    api, manager, org, monkeypatch, step
):
    # given: an uploaded file, previewed already when the commit is the step that breaks
    content = xlsx(portfolio_sheets(1))

    def boom(self, tables):
        raise RuntimeError("disk on fire")

    if step == "preview":
        monkeypatch.setattr("imports.importer.Importer.run", boom)
    run = _upload(api, manager, content).json()
    if step == "commit":
        monkeypatch.setattr("imports.importer.Importer.run", boom)
        api(manager).post(f"/api/v1/imports/{run['id']}/commit/")

    # then
    stored = ImportRun.objects.get(pk=run["id"])
    assert stored.status == ImportStatus.FAILED
    assert stored.error == "RuntimeError: disk on fire"
    assert stored.committed_at is None
    assert _counts() == (0, 0, 0, 0)
