"""The report kind registry: every kind is declared once; an unknown one fails loudly."""

from __future__ import annotations

import pytest

from reports import services
from reports.kinds import KINDS, UnknownReportKindError, kind_spec, report_kind_choices
from reports.models import ReportRun, RunStatus

pytestmark = pytest.mark.django_db


def test_every_report_kind_has_exactly_one_registry_entry():
    field = ReportRun._meta.get_field("kind")
    assert [value for value, _ in field.choices or ()] == list(KINDS)  # read from the registry
    assert [value for value, _ in report_kind_choices()] == list(KINDS)
    assert {k: s.template for k, s in KINDS.items()} == {
        "dossier": "pdf/dossier.html",
        "portfolio": "pdf/portfolio.html",
        "inspection": "pdf/inspection.html",
    }
    assert [k for k, s in KINDS.items() if s.needs_operator] == ["dossier"]


def test_unknown_kind_raises_instead_of_rendering_another_report():
    with pytest.raises(UnknownReportKindError) as excinfo:
        kind_spec("audit")

    assert excinfo.value.status_code == 400
    assert "audit" in excinfo.value.message


def test_render_of_an_unknown_kind_fails_before_building_anything(manager, monkeypatch):
    built: list[dict[str, object]] = []

    def spy(**kwargs: object) -> dict[str, object]:
        built.append(kwargs)
        return {}

    monkeypatch.setattr("reports.data.inspection_context", spy)

    with pytest.raises(UnknownReportKindError):
        services.report_render(user=manager, kind="audit", params={"as_of": "2026-01-15"})

    assert built == []


def test_stored_run_of_an_unknown_kind_is_failed_with_the_reason(manager):
    run = ReportRun.objects.create(user=manager, kind="audit", params={"as_of": "2026-01-15"})

    services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "Unknown report kind" in run.error
    assert not run.file


def test_api_answers_400_for_an_unknown_kind_and_records_nothing(manager, api):
    response = api(manager).post("/api/v1/reports/", {"kind": "audit"}, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()
    assert ReportRun.objects.count() == 0


def test_page_refuses_an_unknown_kind_with_a_message_and_records_nothing(manager, client):
    client.force_login(manager)

    response = client.post("/reports/generate/", {"kind": "audit"}, follow=True)

    assert response.status_code == 200
    assert "Choose one of: dossier, portfolio, inspection." in response.content.decode()
    assert ReportRun.objects.count() == 0


def test_dossier_without_an_operator_is_refused_because_its_kind_needs_one(manager):
    with pytest.raises(services.ValidationError) as excinfo:
        services.report_run_create(user=manager, kind="dossier")

    assert "operator" in excinfo.value.message_dict
    assert ReportRun.objects.count() == 0


def test_the_kind_field_reads_the_registry_so_a_new_kind_needs_no_migration():
    from reports.models import report_kind_choices as model_choices

    _, _, _, kwargs = ReportRun._meta.get_field("kind").deconstruct()

    assert kwargs["choices"] is model_choices
    assert [value for value, _ in model_choices()] == list(KINDS)
