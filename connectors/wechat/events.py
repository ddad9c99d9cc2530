"""What each accepted WeChat push does (implemented with the push endpoint)."""

from __future__ import annotations

from ..models import PushEvent


def handle_event(event: PushEvent) -> None:
    raise NotImplementedError
