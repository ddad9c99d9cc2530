"""Factories of the connectors app. Credentials are made-up values of the right shape."""

from __future__ import annotations

import datetime
import json

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from connectors.models import (
    CertificationReview,
    ConnectorAccount,
    ConnectorFinding,
    ConnectorLink,
    ConnectorToken,
    FaceVerifyTask,
    FindingCode,
    LinkKind,
    PushEvent,
    PushOutcome,
    SyncRun,
    SyncTrigger,
)

from .accounts import OrganizationFactory
from .miniprograms import MiniProgramFactory

WECHAT_CREDENTIALS = {
    "component_appid": "wx0123456789abcdef",
    "component_appsecret": "s3cr3t-component-appsecret-0001",
    "token": "pushToken2024",
    "encoding_aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
}
TENCENT_CREDENTIALS = {
    "secret_id": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
    "secret_key": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLEKEY",
}


class ConnectorAccountFactory(DjangoModelFactory[ConnectorAccount]):
    class Meta:
        model = ConnectorAccount

    organization = factory.SubFactory(OrganizationFactory)
    kind = "wechat"
    name = factory.Sequence(lambda n: f"WeChat platform {n}")
    credentials = factory.LazyFunction(lambda: json.dumps(WECHAT_CREDENTIALS))


class ConnectorTokenFactory(DjangoModelFactory[ConnectorToken]):
    class Meta:
        model = ConnectorToken

    account = factory.SubFactory(ConnectorAccountFactory)
    name = "component_verify_ticket"
    value = "ticket@@@example"
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=12))


class SyncRunFactory(DjangoModelFactory[SyncRun]):
    class Meta:
        model = SyncRun

    account = factory.SubFactory(ConnectorAccountFactory)
    trigger = SyncTrigger.MANUAL


class ConnectorLinkFactory(DjangoModelFactory[ConnectorLink]):
    class Meta:
        model = ConnectorLink

    account = factory.SubFactory(ConnectorAccountFactory)
    kind = LinkKind.MINIPROGRAM
    external_id = factory.Sequence(lambda n: f"wx{n:016x}")


class ConnectorFindingFactory(DjangoModelFactory[ConnectorFinding]):
    class Meta:
        model = ConnectorFinding

    account = factory.SelfAttribute("link.account")
    link = factory.SubFactory(ConnectorLinkFactory)
    code = FindingCode.UNLINKED
    message = "wx0000000000000001"


class PushEventFactory(DjangoModelFactory[PushEvent]):
    class Meta:
        model = PushEvent

    account = factory.SubFactory(ConnectorAccountFactory)
    outcome = PushOutcome.ACCEPTED
    msg_signature = factory.Sequence(lambda n: f"{n:040x}")
    info_type = "component_verify_ticket"


class FaceVerifyTaskFactory(DjangoModelFactory[FaceVerifyTask]):
    class Meta:
        model = FaceVerifyTask

    account = factory.SubFactory(
        ConnectorAccountFactory, organization=factory.SelfAttribute("..miniprogram.organization")
    )
    miniprogram = factory.SubFactory(MiniProgramFactory)
    task_id = factory.Sequence(lambda n: f"task-{n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))


class CertificationReviewFactory(DjangoModelFactory[CertificationReview]):
    class Meta:
        model = CertificationReview

    account = factory.SubFactory(
        ConnectorAccountFactory, organization=factory.SelfAttribute("..miniprogram.organization")
    )
    miniprogram = factory.SubFactory(MiniProgramFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=60))
