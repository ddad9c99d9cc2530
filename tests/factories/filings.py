"""Factories for filing applications and their history."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from filings.models import (
    FilingApplication,
    FilingChannel,
    FilingComment,
    FilingKind,
    FilingStatus,
    FilingStatusChange,
    RejectionReason,
)

from .accounts import UserFactory
from .miniprograms import MiniProgramFactory


class FilingFactory(DjangoModelFactory[FilingApplication]):
    class Meta:
        model = FilingApplication

    miniprogram = factory.SubFactory(MiniProgramFactory)
    operator = factory.SelfAttribute("miniprogram.operator")
    organization = factory.SelfAttribute("operator.organization")
    kind = FilingKind.NEW_FILING
    channel = FilingChannel.WECHAT
    status = FilingStatus.DRAFT


class FilingStatusChangeFactory(DjangoModelFactory[FilingStatusChange]):
    """A history row only: it does not move the filing's status."""

    class Meta:
        model = FilingStatusChange

    filing = factory.SubFactory(FilingFactory)
    from_status = FilingStatus.DRAFT
    to_status = FilingStatus.PROVIDER_REVIEW
    actor = factory.SubFactory(UserFactory)
    note = "提交接入商审核"


class RejectionReasonFactory(DjangoModelFactory[RejectionReason]):
    class Meta:
        model = RejectionReason

    status_change = factory.SubFactory(
        FilingStatusChangeFactory,
        from_status=FilingStatus.PROVIDER_REVIEW,
        to_status=FilingStatus.PROVIDER_REJECTED,
    )
    field = "website_name"
    error = "网站名称不符合要求"
    suggestion = "使用与主体名称相关的名称"


class FilingCommentFactory(DjangoModelFactory[FilingComment]):
    class Meta:
        model = FilingComment

    filing = factory.SubFactory(FilingFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"备注 {n}")
