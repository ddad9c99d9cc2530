"""One sync of one connector account, the same for every kind.

- A lease on the account (a conditional UPDATE) lets one sync run at a time; a second one is
  logged as skipped. The lease expires, so a worker that died does not hold it for ever.
- The vendor's quota (QuotaError) defers the run: the account backs off until the vendor's
  next window, the run keeps its cursor, and a resumed run continues from there — the sync is
  not lost, and objects already applied are not read again.
- A refused credential stops the run and marks the account; an error about one object is
  recorded on the run and the others go on.
- Each object's state is applied by `connectors.apply` in its own transaction.
"""

from __future__ import annotations

import datetime
import logging
import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from . import registry
from .apply import apply_state
from .errors import ConnectorError, CredentialError, QuotaError
from .models import AccountHealth, ConnectorAccount, ConnectorLink, SyncRun, SyncStatus
from .types import VendorFiling, VendorObject

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 200
# Stored on a run for a failure that is not the vendor's answer (language-neutral on purpose:
# the details are in the server log).
INTERNAL_ERROR = "internal error (see the server log)"


@dataclass(frozen=True)
class Lease:
    account_id: int
    token: str


def claim(account_id: int, *, seconds: int | None = None) -> Lease | None:
    """Hold the account for one sync, or None when another sync holds it."""
    seconds = seconds or settings.CONNECTOR_LEASE_SECONDS
    now = timezone.now()
    token = secrets.token_hex(16)
    taken = ConnectorAccount.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now), pk=account_id
    ).update(lease_until=now + datetime.timedelta(seconds=seconds), lease_token=token)
    return Lease(account_id, token) if taken else None


def release(lease: Lease) -> None:
    ConnectorAccount.objects.filter(pk=lease.account_id, lease_token=lease.token).update(
        lease_until=None, lease_token=""
    )


def _set_health(account: ConnectorAccount, health: str, message: str = "") -> None:
    ConnectorAccount.objects.filter(pk=account.pk).update(
        health=health, health_message=message[:2000]
    )


def _finish(run: SyncRun, status: str, message: str = "") -> SyncRun:
    run.status = status
    run.message = message[:4000]
    run.finished_at = timezone.now()
    run.errors = run.errors[:MAX_ERRORS_KEPT]
    run.save()
    return run


# A pushed or requested sync that finds the account busy is tried again this often, this
# many times (a scheduled one simply waits for its next time).
RETRY_SECONDS = 60
MAX_ATTEMPTS = 5
ASKED_FOR = frozenset({"push", "manual"})


def _later(run: SyncRun, attempt: int, *, eta: datetime.datetime | None = None) -> None:
    """Queue a pushed or requested sync again (at `eta`, or in RETRY_SECONDS)."""
    if run.trigger not in ASKED_FOR or attempt + 1 >= MAX_ATTEMPTS:
        return
    from .tasks import sync_task  # the task module imports this one

    kwargs = {
        "account_id": run.account_id,
        "trigger": run.trigger,
        "only": run.only,
        "attempt": attempt + 1,
    }
    if eta is not None:
        transaction.on_commit(lambda: sync_task.apply_async(kwargs=kwargs, eta=eta))
    else:
        transaction.on_commit(lambda: sync_task.apply_async(kwargs=kwargs, countdown=RETRY_SECONDS))


def run_sync(
    account_id: int,
    *,
    trigger: str,
    only: str = "",
    resume: SyncRun | None = None,
    attempt: int = 0,
) -> SyncRun:
    """Sync the account now (the caller is a task or a test); the run row says how it went.

    Switched off: nothing is called. Backing off or held by another sync: the run says so,
    and a pushed or requested sync is queued again (for the end of the back-off, or in a
    minute), so a push that arrives during a long scheduled sync is not lost.
    """
    account = ConnectorAccount.objects.select_related("organization").get(pk=account_id)
    run = SyncRun.objects.create(
        account=account,
        trigger=trigger,
        only=only,
        cursor=resume.cursor if resume is not None else 0,
        resumed_from=resume,
    )
    now = timezone.now()
    if not account.enabled:
        return _finish(run, SyncStatus.SKIPPED, "switched off")
    if account.is_backing_off(now):
        run.resume_at = account.backoff_until
        _later(run, attempt, eta=account.backoff_until)
        return _finish(run, SyncStatus.DEFERRED, "backing off")
    lease = claim(account.pk)
    if lease is None:
        _later(run, attempt)
        return _finish(run, SyncStatus.SKIPPED)
    try:
        return _run(account, run)
    except Exception:
        # A bug, or the database gone: the run must not stay "running" for ever.
        logger.exception("connector %s: sync run %s failed", account.pk, run.pk)
        _finish(run, SyncStatus.FAILED, INTERNAL_ERROR)
        raise
    finally:
        release(lease)


def _applied_digests(account: ConnectorAccount) -> dict[tuple[str, str], str]:
    """(kind, external id) → digest applied, of the account's linked objects (one query): a
    state with the same digest needs no transaction, only its `seen_at` touched at the end."""
    rows = (
        ConnectorLink.objects.filter(account=account)
        .exclude(miniprogram__isnull=True, domain__isnull=True)
        .exclude(applied_digest="")
        .values_list("kind", "external_id", "applied_digest")
    )
    return {(k, e): d for k, e, d in rows}


def _touch(account: ConnectorAccount, unchanged: list[tuple[str, str]]) -> None:
    now = timezone.now()
    by_kind: dict[str, list[str]] = {}
    for kind, external_id in unchanged:
        by_kind.setdefault(kind, []).append(external_id)
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), 500):
            ConnectorLink.objects.filter(
                account=account, kind=kind, external_id__in=ids[start : start + 500]
            ).update(seen_at=now, gone_at=None)


def _sync_one(
    account: ConnectorAccount,
    run: SyncRun,
    read: Callable[[VendorObject], Iterable[VendorFiling]],
    obj: VendorObject,
    digests: dict[tuple[str, str], str],
    unchanged: list[tuple[str, str]],
) -> None:
    """Read and apply one object; an error about it alone is kept on the run."""
    try:
        for state in read(obj):
            if digests.get((state.kind, state.external_id)) == state.digest():
                unchanged.append((state.kind, state.external_id))
                continue
            applied = apply_state(account, state)
            run.changes_applied += applied.changes
            run.findings += applied.findings
    except (CredentialError, QuotaError):
        raise
    except ConnectorError as exc:
        run.errors.append({"object": obj.external_id, "message": exc.message})
        logger.warning("connector %s: %s failed: %s", account.pk, obj.external_id, exc.message)
    except DatabaseError:
        raise  # the connection may be unusable: stop the run (see run_sync)
    except Exception:
        # One object's unexpected failure (its transaction rolled back) does not stop the
        # others; the traceback is in the server log, not on the run (it may quote data).
        run.errors.append({"object": obj.external_id, "message": INTERNAL_ERROR})
        logger.exception("connector %s: %s failed", account.pk, obj.external_id)


def _run(account: ConnectorAccount, run: SyncRun) -> SyncRun:
    kind = registry.get(account.kind)
    seen_ids: list[str] = []
    unchanged: list[tuple[str, str]] = []
    digests = _applied_digests(account)
    try:
        client = kind.client(account)
        objects = list(kind.objects(client, only=run.only))
        for index in range(run.cursor, len(objects)):
            obj = objects[index]
            seen_ids.append(obj.external_id)
            _sync_one(account, run, partial(kind.read, client), obj, digests, unchanged)
            run.objects_seen += 1
            run.cursor = index + 1
    except CredentialError as exc:
        _set_health(account, AccountHealth.CREDENTIAL_ERROR, exc.message)
        return _finish(run, SyncStatus.CREDENTIAL_ERROR, exc.message)
    except QuotaError as exc:
        return _defer(account, run, exc)
    except ConnectorError as exc:
        _set_health(account, AccountHealth.FAILING, exc.message)
        return _finish(run, SyncStatus.FAILED, exc.message)
    else:
        if not run.only and run.resumed_from_id is None:
            _mark_gone(account, seen_ids)
    finally:
        _touch(account, unchanged)
    ConnectorAccount.objects.filter(pk=account.pk).update(
        last_synced_at=timezone.now(),
        backoff_until=None,
        health=AccountHealth.FAILING if run.errors else AccountHealth.OK,
        health_message=run.errors[0]["message"] if run.errors else "",
    )
    return _finish(run, SyncStatus.PARTIAL if run.errors else SyncStatus.SUCCEEDED)


def _mark_gone(account: ConnectorAccount, seen: list[str]) -> None:
    ConnectorLink.objects.filter(account=account, gone_at__isnull=True).exclude(
        external_id__in=seen
    ).update(gone_at=timezone.now())


def _defer(account: ConnectorAccount, run: SyncRun, exc: QuotaError) -> SyncRun:
    """Back off until the vendor's next window and queue the rest of the run for then."""
    until = exc.until
    ConnectorAccount.objects.filter(pk=account.pk).update(
        backoff_until=until, health=AccountHealth.BACKING_OFF, health_message=exc.message
    )
    run.resume_at = until
    _finish(run, SyncStatus.DEFERRED, exc.message)
    from .tasks import sync_task  # the task module imports this one

    transaction.on_commit(
        lambda: sync_task.apply_async(
            kwargs={
                "account_id": account.pk,
                "trigger": "resume",
                "only": run.only,
                "resume_run_id": run.pk,
            },
            eta=until,
        )
    )
    return run


def schedule_due(now: datetime.datetime | None = None) -> list[int]:
    """Accounts whose next sync has come, at most as many as may run at once; each gets its
    next time (cadence plus jitter) before it is queued, so a sweep twice queues once."""
    now = now or timezone.now()
    running = ConnectorAccount.objects.filter(lease_until__gt=now).count()
    room = max(0, settings.CONNECTOR_MAX_CONCURRENT - running)
    if room == 0:
        return []
    due = (
        ConnectorAccount.objects.filter(enabled=True)
        .filter(Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .exclude(health=AccountHealth.CREDENTIAL_ERROR)
        .order_by("next_sync_at", "pk")
        .values_list("pk", "cadence_minutes", "next_sync_at")[:room]
    )
    queued = []
    for pk, cadence, was in due:
        jitter = random.uniform(0, settings.CONNECTOR_JITTER_FRACTION) * cadence * 60  # noqa: S311
        nxt = now + datetime.timedelta(minutes=cadence, seconds=jitter)
        flt = Q(next_sync_at__isnull=True) if was is None else Q(next_sync_at=was)
        if ConnectorAccount.objects.filter(flt, pk=pk).update(next_sync_at=nxt):
            queued.append(pk)
    return queued
