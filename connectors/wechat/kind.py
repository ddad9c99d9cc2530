"""The WeChat third-party platform connector kind (开放平台 第三方平台, mini-program filing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from icp.channels import FilingChannel

from ..models import LinkKind
from ..registry import ConnectorKind, CredentialField, register
from ..types import VendorFiling, VendorObject
from . import mapping

if TYPE_CHECKING:
    from .client import WeChatClient


def _appid(value: str) -> None:
    if not re.fullmatch(r"wx[0-9a-f]{16}", value):
        raise ValidationError(_("A component AppID is “wx” and 16 hexadecimal characters."))


def _aes_key(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9]{43}", value):
        raise ValidationError(_("The EncodingAESKey is 43 letters and digits."))


def _token(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9]{3,32}", value):
        raise ValidationError(_("The message token is 3 to 32 letters and digits."))


@register
class WeChatKind(ConnectorKind):
    code = "wechat"
    label = _("WeChat third-party platform")
    description = _(
        "Reads the filing state of every mini-program that authorized your platform, and "
        "receives WeChat's filing and verification pushes."
    )
    channel = FilingChannel.WECHAT
    has_push = True
    credential_fields = (
        CredentialField("component_appid", _("Component AppID"), secret=False, validate=_appid),
        CredentialField("component_appsecret", _("Component AppSecret"), secret=True),
        CredentialField("token", _("Message token"), secret=True, validate=_token),
        CredentialField("encoding_aes_key", _("EncodingAESKey"), secret=True, validate=_aes_key),
    )

    def client(self, account):
        from .client import WeChatClient

        return WeChatClient(account)

    def check_credentials(self, client: WeChatClient) -> str:
        """The component token proves the AppID, AppSecret and the pushed ticket; the list
        proves the platform may read its authorizers."""
        client.component_token()
        count = len(client.authorizers())
        return ngettext(
            "Component token obtained; %(count)d mini-program authorized.",
            "Component token obtained; %(count)d mini-programs authorized.",
            count,
        ) % {"count": count}

    def objects(self, client: WeChatClient, *, only: str = "") -> Iterable[VendorObject]:
        """Every authorizer, by AppID (stable order: a deferred run resumes by index). One
        AppID (a push about it) is read without listing the others."""
        if only:
            return [VendorObject(kind=LinkKind.MINIPROGRAM, external_id=only)]
        found = {a["authorizer_appid"]: a for a in client.authorizers()}
        return [
            VendorObject(
                kind=LinkKind.MINIPROGRAM,
                external_id=appid,
                extra={"auth_time": found[appid].get("auth_time")},
            )
            for appid in sorted(found)
        ]

    def read(self, client: WeChatClient, obj: VendorObject) -> Iterator[VendorFiling]:
        info = client.entrance_info(obj.external_id)
        order = client.online_order(obj.external_id) if mapping.needs_order(info) else None
        yield mapping.filing(obj.external_id, info, order)

    def handle_push(self, event):
        from .events import handle_event

        handle_event(event)
