"""Each accepted push's work, run as the queue would run it (connectors.pushes.process_push).

WeChatClient is replaced by recorders: these tests are about what the handlers ask of it and
what they change here."""

from __future__ import annotations

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.models import (
    CertificationReview,
    ConnectorFinding,
    ConnectorLink,
    ConnectorToken,
    FaceTaskState,
    FindingCode,
    LinkKind,
    PushEvent,
    PushOutcome,
)
from connectors.pushes import process_push
from connectors.wechat import events
from connectors.wechat.client import WeChatClient
from tests.factories import (
    CertificationReviewFactory,
    ConnectorLinkFactory,
    FaceVerifyTaskFactory,
    MiniProgramFactory,
)

from .builders import message_xml, signed_push
from .conftest import post_push

pytestmark = pytest.mark.django_db

APPID = "wx00000000000000c1"


@pytest.fixture
def calls(monkeypatch):
    """What the handlers asked of the WeChat client."""
    made: list[tuple] = []
    monkeypatch.setattr(WeChatClient, "store_ticket", lambda self, t: made.append(("ticket", t)))

    def query_auth(self, code):
        made.append(("query_auth", code))
        return APPID

    monkeypatch.setattr(WeChatClient, "query_auth", query_auth)
    return made


def _accept(client, account, fields, capture, *, url=None) -> PushEvent:
    url = url or reverse("connectors_wechat:push-events", args=[account.push_key])
    query, body = signed_push(account, message_xml(fields))
    with capture(execute=True):
        assert post_push(client, url, query, body).content == b"success"
    return PushEvent.objects.filter(account=account, outcome=PushOutcome.ACCEPTED).latest("pk")


def _process(event, capture) -> bool:
    with capture(execute=True):
        return process_push(event.pk)


def test_every_handled_type_is_registered():
    assert set(events.HANDLERS) == {
        "component_verify_ticket",
        "authorized",
        "updateauthorized",
        "unauthorized",
        "notify_apply_icpfiling_result",
        "notify_icpfiling_verify_result",
        "notify_3rd_wxa_wxverify",
    }


def test_ticket_is_stored_through_the_client_once(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    ticket = "ticket@@@abcdefSECRET"
    fields = {"InfoType": "component_verify_ticket", "ComponentVerifyTicket": ticket}
    event = _accept(client, account, fields, django_capture_on_commit_callbacks)
    assert _process(event, django_capture_on_commit_callbacks) is True
    assert calls == [("ticket", ticket)]
    assert not ConnectorToken.objects.filter(name=f"push:{event.pk}").exists()
    event.refresh_from_db()
    assert event.processed_at is not None
    # the same message delivered twice by the queue: nothing more
    assert _process(event, django_capture_on_commit_callbacks) is False
    assert calls == [("ticket", ticket)]


def test_authorized_exchanges_the_code_and_queues_a_sync_of_that_appid(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    code = "queryauthcode@@@SECRET"
    gone = ConnectorLinkFactory(account=account, external_id=APPID, gone_at=timezone.now())
    for info_type in ("authorized", "updateauthorized"):
        fields = {"InfoType": info_type, "AuthorizerAppid": APPID, "AuthorizationCode": code}
        event = _accept(client, account, fields, django_capture_on_commit_callbacks)
        queued.clear()
        calls.clear()
        _process(event, django_capture_on_commit_callbacks)
        assert calls == [("query_auth", code)]
        assert queued == [
            ("connectors.sync", (), {"account_id": account.pk, "trigger": "push", "only": APPID})
        ]
        assert not ConnectorToken.objects.filter(name=f"push:{event.pk}").exists()
    gone.refresh_from_db()
    assert gone.gone_at is None  # authorized again


def test_unauthorized_marks_the_link_gone_and_opens_one_finding(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    link = ConnectorLinkFactory(account=account, external_id=APPID, miniprogram=mp)
    for _ in range(2):
        fields = {"InfoType": "unauthorized", "AuthorizerAppid": APPID}
        event = _accept(client, account, fields, django_capture_on_commit_callbacks)
        _process(event, django_capture_on_commit_callbacks)
    link.refresh_from_db()
    assert link.gone_at is not None
    findings = ConnectorFinding.objects.filter(account=account, link=link)
    assert list(findings.values_list("code", "resolved_at")) == [(FindingCode.REVOKED, None)]
    assert calls == []
    assert [q for q in queued if q[0] == "connectors.sync"] == []


def test_unauthorized_of_an_unknown_appid_makes_a_gone_link_with_a_finding(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    fields = {"InfoType": "unauthorized", "AuthorizerAppid": APPID}
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    link = ConnectorLink.objects.get(account=account, external_id=APPID)
    assert link.kind == LinkKind.MINIPROGRAM
    assert link.gone_at is not None
    assert link.findings.get().code == FindingCode.REVOKED


@pytest.mark.parametrize("via_message_url", [False, True])
def test_filing_result_queues_a_sync_of_that_appid_only(
    client, account, calls, queued, django_capture_on_commit_callbacks, via_message_url
):
    fields: dict[str, object] = {
        "InfoType": "notify_apply_icpfiling_result",
        "authorizer_appid": APPID,
        "beian_status": 5,
    }
    url = None
    if via_message_url:
        fields = {"MsgType": "event", "Event": "notify_apply_icpfiling_result", "beian_status": 5}
        url = reverse("connectors_wechat:push-messages", args=[account.push_key, APPID])
    event = _accept(client, account, fields, django_capture_on_commit_callbacks, url=url)
    queued.clear()
    _process(event, django_capture_on_commit_callbacks)
    assert queued == [
        ("connectors.sync", (), {"account_id": account.pk, "trigger": "push", "only": APPID})
    ]


@pytest.mark.parametrize(
    ("result", "state"), [(3, FaceTaskState.SUCCEEDED), (2, FaceTaskState.FAILED)]
)
def test_face_result_closes_or_fails_the_task(
    client, account, calls, queued, django_capture_on_commit_callbacks, result, state
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    task = FaceVerifyTaskFactory(account=account, miniprogram=mp, task_id="T-42")
    other = FaceVerifyTaskFactory(account=account, miniprogram=mp, task_id="T-43")
    fields = {
        "InfoType": "notify_icpfiling_verify_result",
        "task_id": "T-42",
        "verify_appid": APPID,
        "result": result,
    }
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    task.refresh_from_db()
    other.refresh_from_db()
    assert (task.state, task.face_status) == (state, result)
    assert task.finished_at is not None
    assert (other.state, other.finished_at) == (FaceTaskState.PENDING, None)


def test_face_result_of_an_unknown_task_or_result_changes_nothing(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    task = FaceVerifyTaskFactory(account=account, miniprogram=mp, task_id="T-42")
    for task_id, result in (("T-99", 3), ("T-42", 7)):
        fields = {"InfoType": "notify_icpfiling_verify_result", "task_id": task_id}
        fields["result"] = str(result)
        _process(
            _accept(client, account, fields, django_capture_on_commit_callbacks),
            django_capture_on_commit_callbacks,
        )
    task.refresh_from_db()
    assert (task.state, task.face_status, task.finished_at) == (FaceTaskState.PENDING, 0, None)


def test_face_result_does_not_overturn_a_decided_task(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    done = timezone.now() - datetime.timedelta(hours=1)
    task = FaceVerifyTaskFactory(
        account=account,
        miniprogram=mp,
        task_id="T-42",
        state=FaceTaskState.SUCCEEDED,
        face_status=3,
        finished_at=done,
    )
    fields = {"InfoType": "notify_icpfiling_verify_result", "task_id": "T-42", "result": 2}
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    task.refresh_from_db()
    assert (task.state, task.finished_at) == (FaceTaskState.SUCCEEDED, done)


def test_certification_expiry_upserts_the_review(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    expired = int(time.time()) + 60 * 86400
    url = reverse("connectors_wechat:push-messages", args=[account.push_key, APPID])
    fields = {"InfoType": "notify_3rd_wxa_wxverify", "expired": expired, "message": "年审"}
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks, url=url),
        django_capture_on_commit_callbacks,
    )
    review = CertificationReview.objects.get(account=account, miniprogram=mp)
    assert review.expires_at == datetime.datetime.fromtimestamp(expired, tz=datetime.UTC)
    # the 30-day notice of the same expiry: the same row, a person's renewal mark kept
    review.renewed_on = timezone.localdate()
    review.save(update_fields=["renewed_on"])
    fields["appid"] = APPID
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert CertificationReview.objects.filter(account=account).count() == 1
    review.refresh_from_db()
    assert review.renewed_on == timezone.localdate()


def test_a_new_expiry_resets_a_renewal_mark(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    mp = MiniProgramFactory(operator__organization=account.organization, appid=APPID)
    review = CertificationReviewFactory(
        account=account, miniprogram=mp, renewed_on=timezone.localdate()
    )
    expired = int(review.expires_at.timestamp()) + 365 * 86400
    fields = {"InfoType": "notify_3rd_wxa_wxverify", "appid": APPID, "expired": expired}
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    review.refresh_from_db()
    assert review.renewed_on is None
    assert int(review.expires_at.timestamp()) == expired


def test_certification_expiry_of_an_unknown_mini_program_is_an_unlinked_finding(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    MiniProgramFactory(appid=APPID)  # another organization's: not ours to touch
    fields = {
        "InfoType": "notify_3rd_wxa_wxverify",
        "appid": APPID,
        "expired": int(time.time()) + 86400,
    }
    _process(
        _accept(client, account, fields, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert not CertificationReview.objects.exists()
    finding = ConnectorFinding.objects.get(account=account)
    assert finding.link is not None
    assert (finding.code, finding.link.external_id) == (FindingCode.UNLINKED, APPID)


def test_an_unhandled_type_is_marked_processed_and_changes_nothing(
    client, account, calls, queued, django_capture_on_commit_callbacks
):
    fields = {"MsgType": "event", "Event": "weapp_audit_success"}
    event = _accept(client, account, fields, django_capture_on_commit_callbacks)
    assert _process(event, django_capture_on_commit_callbacks) is True
    assert calls == []
    assert not ConnectorLink.objects.exists()
    assert not ConnectorFinding.objects.exists()
