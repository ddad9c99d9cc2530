"""Links into the worklist with its filters (see the worklist's query parameters).

One place builds them, so that the path can become `reverse("dashboard:worklist")` once
the page exists in this tree.
"""

from __future__ import annotations

from typing import Any

from django.utils.http import urlencode

WORKLIST_PATH = "/work/"


def worklist_url(**params: Any) -> str:
    """`/work/?…` with `params` (a list or tuple value repeats the parameter)."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return WORKLIST_PATH + ("?" + urlencode(query, doseq=True) if query else "")
