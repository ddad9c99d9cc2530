"""The WeChat third-party platform connector kind (开放平台 第三方平台, mini-program filing)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icp.channels import FilingChannel

from ..registry import ConnectorKind, CredentialField, register


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

    def handle_push(self, event):
        from .events import handle_event

        handle_event(event)
