"""WeChat open-platform client of one connector account: the token chain, the calls, and
WeChat's error codes as connectors.errors (the interface; implemented by the sync work)."""

from __future__ import annotations

from typing import Any

from ..models import ConnectorAccount


class WeChatClient:
    def __init__(self, account: ConnectorAccount) -> None:
        self.account = account

    def store_ticket(self, ticket: str) -> None:
        """Keep the pushed component_verify_ticket (encrypted, ~12 h)."""
        raise NotImplementedError

    def component_token(self) -> str:
        raise NotImplementedError

    def authorizer_token(self, appid: str) -> str:
        raise NotImplementedError

    def query_auth(self, authorization_code: str) -> str:
        """Exchange an authorization code (authorized event): stores the authorizer's refresh
        token; returns the authorizer AppID."""
        raise NotImplementedError

    def authorizers(self) -> list[dict[str, Any]]:
        """Every authorizer: [{"authorizer_appid", "auth_time"}] (refresh tokens stored)."""
        raise NotImplementedError

    def entrance_info(self, appid: str) -> dict[str, Any]:
        """`/wxa/icp/get_icp_entrance_info` → its `info` object."""
        raise NotImplementedError

    def online_order(self, appid: str) -> dict[str, Any]:
        """`/wxa/icp/get_online_icp_order` → the answer without errcode/errmsg."""
        raise NotImplementedError

    def create_verify_task(self, appid: str, *, along_with_auth: bool = False) -> str:
        """`/wxa/icp/create_icp_verifytask` → task_id."""
        raise NotImplementedError

    def query_verify_task(self, appid: str, task_id: str) -> dict[str, Any]:
        """`/wxa/icp/query_icp_verifytask` → {"is_finish": bool, "face_status": int}."""
        raise NotImplementedError
