"""The demo agency's WeChat third-party platform connector, switched off.

Its credentials are made up: switched off, the connector is never scheduled and "Check
credentials" / "Sync now" are refused, so the demo never calls WeChat. It shows the setup
page, the masked credentials and the push URLs to register.
"""

from __future__ import annotations

from accounts.models import Organization, User
from connectors.models import ConnectorAccount

DEMO_CREDENTIALS = {
    "component_appid": "wxd0e0000000000001",
    "component_appsecret": "demo-appsecret-not-real-0000000000",
    "token": "demoPushToken",
    "encoding_aes_key": "DemoEncodingAesKeyNotReal000000000000000000",
}


def seed_connectors(agency: Organization, manager: User) -> None:
    account = ConnectorAccount(
        organization=agency,
        kind="wechat",
        name="云桥微信第三方平台（演示，已关闭）",
        enabled=False,
        created_by=manager,
    )
    account.set_credential_values(DEMO_CREDENTIALS)
    account.save()
