"""Progress that pollers can see even while the work runs inside one long transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, connections


def progress_writer(model, pk: int, *, step: int = 5) -> Callable[[int], None]:
    """Return `report(pct)`, writing `progress` on the row when it moved by `step` or more.

    Inside an atomic block the update goes through a short-lived thread with its own
    connection (autocommit), so the caller's open transaction does not hide it. The caller
    must not hold a lock on that row meanwhile, or the thread would wait for it. Created
    inside a transaction already (a request, a test), it writes through that transaction:
    nobody else could see the row's progress before the commit anyway, and the row may be
    locked by it.
    """
    last = {"pct": -step}
    outer_atomic = connection.in_atomic_block

    def _update(pct: int) -> None:
        model.objects.filter(pk=pk).update(progress=pct)

    def _in_thread(pct: int) -> None:
        try:
            _update(pct)
        finally:
            connections.close_all()

    def report(pct: int) -> None:
        pct = max(0, min(100, int(pct)))
        if pct - last["pct"] < step and pct != 100:
            return
        last["pct"] = pct
        if connection.in_atomic_block and not outer_atomic:
            t = threading.Thread(target=_in_thread, args=(pct,), daemon=True)
            t.start()
            t.join(timeout=10)
        else:
            _update(pct)

    return report
