"""A scripted connector kind for the framework's tests: its objects and states are whatever
the test puts in `ScriptedKind.script` (no network)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from connectors import registry
from connectors.registry import ConnectorKind, CredentialField
from connectors.types import VendorFiling, VendorObject
from icp.channels import FilingChannel


class ScriptedKind(ConnectorKind):
    code = "scripted"
    label = "Scripted"
    channel = FilingChannel.WECHAT
    credential_fields = (CredentialField("key", "Key", secret=True),)
    # external_id -> list of states to answer, or an exception to raise
    script: dict[str, object] = {}
    calls: list[str] = []

    def client(self, account):
        return account

    def check_credentials(self, client) -> str:
        return "ok"

    def objects(self, client, *, only: str = "") -> Iterable[VendorObject]:
        return [
            VendorObject(kind="miniprogram", external_id=k)
            for k in self.script
            if not only or k == only
        ]

    def read(self, client, obj: VendorObject) -> Iterator[VendorFiling]:
        type(self).calls.append(obj.external_id)
        answer = self.script[obj.external_id]
        if isinstance(answer, Exception):
            raise answer
        yield answer  # type: ignore[misc]


if "scripted" not in {k.code for k in registry.kinds()}:
    registry.register(ScriptedKind)


@pytest.fixture
def scripted():
    cls: Any = type(registry.get("scripted"))
    cls.script = {}
    cls.calls = []
    yield cls
    cls.script = {}
