"""filing_transitioned: filings announces a committed status change; notifications listens."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from filings.models import FilingApplication, FilingStatusChange
from filings.models import FilingStatus as S
from filings.services import InvalidTransition, filing_transition
from filings.signals import filing_transitioned
from notifications import receivers
from tests.factories import FilingFactory, MiniProgramFactory, make_ready

pytestmark = pytest.mark.django_db
FILINGS = Path(__file__).resolve().parents[2] / "filings"


@pytest.fixture
def heard():
    got: list[dict] = []

    def listener(sender, **kwargs):
        got.append({"sender": sender, **kwargs})

    filing_transitioned.connect(listener, dispatch_uid="test-listener")
    yield got
    filing_transitioned.disconnect(dispatch_uid="test-listener")


def test_sent_once_after_commit_with_the_change(
    manager, operator, heard, django_capture_on_commit_callbacks
):
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        filing_transition(filing_id=filing.pk, to_status=S.PROVIDER_REVIEW, actor=manager)
    assert heard == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [(h["sender"], h["filing_id"], h["operator_id"]) for h in heard] == [
        (FilingApplication, filing.pk, operator.pk)
    ]
    assert (heard[0]["from_status"], heard[0]["to_status"]) == (S.DRAFT, S.PROVIDER_REVIEW)


def test_not_sent_for_a_refused_transition(
    manager, operator, heard, django_capture_on_commit_callbacks
):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(InvalidTransition),
    ):
        filing_transition(filing_id=filing.pk, to_status=S.APPROVED, actor=manager)
    assert heard == []
    assert not FilingStatusChange.objects.filter(filing=filing).exists()
    filing.refresh_from_db()
    assert filing.status == S.DRAFT


def test_notifications_resyncs_the_operators_reminders_when_told(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(receivers.reminder_resync_task, "delay", sent.append)
    filing_transitioned.send(
        sender=FilingApplication, filing_id=1, operator_id=42, from_status="a", to_status="b"
    )
    assert sent == [42]


def test_filings_imports_nothing_from_the_apps_above_it():
    above = {"compliance", "notifications", "documents", "reports", "dashboard", "imports"}
    upward = []
    for path in FILINGS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            upward += [f"{path.name}: {n}" for n in names if n.split(".")[0] in above]
    assert upward == []
