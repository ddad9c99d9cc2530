"""A Tencent Cloud connector account of one filing entity (the fake's owner keys)."""

from __future__ import annotations

import json

import factory

from tests.factories.connectors import TENCENT_CREDENTIALS, ConnectorAccountFactory
from tests.factories.miniprograms import OperatorFactory


class TencentAccountFactory(ConnectorAccountFactory):
    kind = "tencent_cloud"
    name = factory.Sequence(lambda n: f"Tencent Cloud {n}")
    operator = factory.SubFactory(OperatorFactory)
    organization = factory.SelfAttribute("operator.organization")  # type: ignore[assignment]
    credentials = factory.LazyFunction(lambda: json.dumps(TENCENT_CREDENTIALS))
