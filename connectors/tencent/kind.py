"""The Tencent Cloud filing read connector kind (`ba` API, the filing entity's own keys)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icp.channels import FilingChannel

from ..registry import ConnectorKind, CredentialField, register


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
