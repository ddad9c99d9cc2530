"""Links into the worklist with its filters (the query parameters of the shared contract:
operator, owner, rule, status, priority, window, province, q, snoozed, page, page_size, sort).

Built in one place so the path can follow the URL configuration when the worklist is routed
by name.
"""

from __future__ import annotations

from django.utils.http import urlencode

WORKLIST_PATH = "/work/"


def worklist_url(**params: str | int | list[str] | list[int] | None) -> str:
    """The worklist filtered by `params` (None and "" are left out; a list repeats a key)."""
    query: list[tuple[str, str | int | list[str] | list[int]]] = [
        (key, value) for key, value in params.items() if value is not None and value != ""
    ]
    return WORKLIST_PATH + ("?" + urlencode(query, doseq=True) if query else "")
