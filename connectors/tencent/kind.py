"""The Tencent Cloud filing read connector kind (`ba` API, the filing entity's own keys).

What it reads: the entity's order in progress (one at a time per entity), its orders, and each
domain the register has for the account's filing entity (`DescribeDomainIcpStatus`). What it
writes: nothing at Tencent Cloud; here, through `connectors.apply` only (see `read_domain`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from icp.channels import FilingChannel

from ..registry import ConnectorKind, CredentialField, register
from ..types import VendorFiling, VendorObject

if TYPE_CHECKING:
    from .client import TencentClient


def _secret_id(value: str) -> None:
    if not re.fullmatch(r"AKID[A-Za-z0-9]{8,60}", value):
        raise ValidationError(_("A SecretId starts with “AKID”."))


@register
class TencentKind(ConnectorKind):
    code = "tencent_cloud"
    label = _("Tencent Cloud filing (read only)")
    description = _(
        "Reads the filing entity's application in progress, its orders and each domain's "
        "status with the entity's own Tencent Cloud API key."
    )
    channel = FilingChannel.TENCENT_CLOUD
    needs_operator = True
    credential_fields = (
        CredentialField("secret_id", _("SecretId"), secret=False, validate=_secret_id),
        CredentialField("secret_key", _("SecretKey"), secret=True),
    )

    def client(self, account) -> TencentClient:
        from .client import TencentClient

        return TencentClient(account)

    def check_credentials(self, client: TencentClient) -> str:
        """DescribeUserSummary proves the keys read this account's filings; the province's
        expected review days are added as information when Tencent Cloud gives them."""
        summary = client.user_summary()
        message = gettext("Filing entity account: %(passed)d passed, %(pending)d pending.") % {
            "passed": summary["PassedCount"],
            "pending": summary["PendingCount"],
        }
        days = _province_review(client)  # information only; None when not known
        if days is not None:
            shown = days if isinstance(days, int | str) else json.dumps(days, ensure_ascii=False)
            message += " " + gettext("Expected review days in the entity's province: %(days)s.") % {
                "days": shown
            }
        return message

    def objects(self, client: TencentClient, *, only: str = "") -> Iterable[VendorObject]:
        from .reading import domain_objects

        found: list[VendorObject] = []
        order_id = client.last_order_in_progress()
        if order_id:
            found.append(VendorObject(kind="entity", external_id=order_id, label=order_id))
        found.extend(domain_objects(client.account))
        return [o for o in found if not only or o.external_id == only]

    def read(self, client: TencentClient, obj: VendorObject) -> Iterator[VendorFiling]:
        from .reading import READERS

        yield from READERS[obj.kind](client, obj)


def _province_review(client: TencentClient) -> Any:
    from .reading import province_review

    return province_review(client)
