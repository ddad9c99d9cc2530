"""Links into the worklist with its filters (the query parameters of the shared contract:
operator, owner, rule, status, priority, window, province, q, snoozed, page, page_size, sort).

"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode


def worklist_url(**params: str | int | list[str] | list[int] | None) -> str:
    """The worklist filtered by `params` (None and "" are left out; a list repeats a key)."""
    query: list[tuple[str, str | int | list[str] | list[int]]] = [
        (key, value) for key, value in params.items() if value is not None and value != ""
    ]
    return reverse("dashboard:worklist") + ("?" + urlencode(query, doseq=True) if query else "")
