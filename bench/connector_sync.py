"""Benchmark: one WeChat connector account syncing 1,000 authorized mini-programs.

    .venv/bin/python bench/connector_sync.py [--authorized 1000] [--registered 800] [--tracemalloc]

Creates scratch database icp_bench_connector (dropped first); one organization with
`--registered` mini-programs in its register (each of its own operator, so no application
waits for another of the same operator), and the fake WeChat API of the tests
(tests/connectors/wechat/fake.py) in a child process with `--authorized` authorizers: the
registered ones, linked by AppID, in filing states spread over platform review, SMS pending,
authority rejected with two audit_data reasons, authority review and not filed (1024); the
rest unknown to the register (each becomes an "unlinked" finding). The pushed ticket is stored
as the push endpoint would. Then `connectors.sync.run_sync` twice in this process:

- first sync: every token fetched (component token, one authorizer token per mini-program),
  every state new (applications created and walked through `filing_transition`);
- second sync: the same states (tokens reused, nothing applied).

Reports per sync: wall time, CPU, SQL statements (counted through
connection.execute_wrapper) per mini-program with the heaviest statement kinds, HTTP calls
answered by the fake, and the peak RSS of this process (the fake's process is not counted);
with --tracemalloc (slower) also the peak Python allocations.

Measured (2-core box, defaults): first sync 51 s wall, 37 s CPU, 60.3 SQL statements per
mini-program (about 75 per registered one: the filing services' creation, one transition per
step with its savepoints and audit rows), 2,003 HTTP calls, 2,240 history rows, 200 unlinked
findings; second sync (nothing changed) 2.3 s wall, 1.5 s CPU, 1.0 statement per mini-program
(none for a linked one whose state is unchanged: the digests are read once and the seen times
stamped in bulk; about 5 for each of the 200 unknown AppIDs), 1,002 HTTP calls. Peak Python
allocations 34.8 MB / 4.5 MB (--tracemalloc); peak RSS 232 MB, reached while the register is
generated.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import setup, use_database

AUDIT = [
    {"key_name": "小程序名称", "error": "名称与服务内容不符", "suggest": "修改名称"},
    {"key_name": "补充说明", "error": "缺少说明", "suggest": "补充"},
]
STATES: list[dict[str, Any]] = [
    {"status": 2},
    {"status": 4, "sms": 1},
    {"status": 5, "audit_data": AUDIT},
    {"status": 4, "sms": 2},
    {"status": 1024},
]
_TABLE = re.compile(r'^(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*?(?:FROM\s+)?"(\w+)"', re.S)


def _serve(registered: list[str], unknown: list[str], out, stop) -> None:
    from tests.connectors.wechat.fake import start_fake

    fake = start_fake()
    for n, appid in enumerate(registered):
        state = dict(STATES[n % len(STATES)])
        fake.add_authorizer(appid, status=state.pop("status"), sms=state.pop("sms", 0), **state)
    for appid in unknown:
        fake.add_authorizer(appid, status=2)
    out.put((fake.port, fake.ticket))
    while True:
        command = stop.get()
        if command == "calls":
            out.put(dict(fake.calls))
        else:
            break
    fake.stop()


def _kind(sql: str) -> str:
    found = _TABLE.match(sql)
    if found:
        return f"{found.group(1).split()[0]} {found.group(2)}"
    return sql.split(None, 1)[0] if sql else "?"


class _Statements:
    """Counts SQL statements by kind through connection.execute_wrapper (no list kept:
    CaptureQueriesContext keeps at most 9,000, fewer than one sync sends)."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.kinds[_kind(sql)] += 1
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def _measure(label: str, account_id: int, count: int, calls_before: dict, fake_io, trace: bool):
    from django.db import connection

    from connectors.sync import run_sync

    out, stop = fake_io
    if trace:
        tracemalloc.start()
    statements = _Statements()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with connection.execute_wrapper(statements):
        run = run_sync(account_id, trigger="manual")
    wall = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    stop.put("calls")
    calls = out.get(timeout=10)
    http_calls = sum(calls.values()) - sum(calls_before.values())
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(f"--- {label}")
    seen = f"{run.objects_seen} seen, {run.changes_applied} changes"
    print(f"run                   {run.status}: {seen}, {run.findings} findings, "
          f"{len(run.errors)} errors")  # fmt: skip
    print(f"wall                  {wall:.1f} s ({wall / count * 1000:.1f} ms per mini-program)")
    print(f"CPU in this process   {cpu:.1f} s")
    total = statements.total
    print(f"SQL statements        {total} ({total / count:.1f} per mini-program)")
    for kind, n in statements.kinds.most_common(14):
        print(f"    {n / count:6.2f}  {kind}")
    print(f"HTTP calls to fake    {http_calls}")
    if trace:
        print(f"peak Python allocs    {peak / 1e6:.1f} MB (tracemalloc)")
    print(f"peak RSS              {cpu1.ru_maxrss / 1024:.0f} MB")
    return calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--authorized", type=int, default=1000)
    parser.add_argument("--registered", type=int, default=800)
    parser.add_argument("--tracemalloc", action="store_true", help="peak Python allocations")
    args = parser.parse_args()
    registered_count = min(args.registered, args.authorized)

    use_database("icp_bench_connector", recreate=True)
    setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from connectors.wechat.client import WeChatClient
    from tests.factories import (
        ConnectorAccountFactory,
        MiniProgramFactory,
        OperatorFactory,
        OrganizationFactory,
    )

    org = OrganizationFactory(name="bench-connector")
    mps = [
        MiniProgramFactory(operator=OperatorFactory(organization=org), appid=f"wx{n:016x}")
        for n in range(registered_count)
    ]
    registered = [mp.appid for mp in mps]
    unknown = [f"wx{0xF0000000 + n:016x}" for n in range(args.authorized - registered_count)]

    out: multiprocessing.Queue = multiprocessing.Queue()
    stop: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=_serve, args=(registered, unknown, out, stop), daemon=True
    )
    server.start()
    port, ticket = out.get(timeout=60)
    settings.CONNECTOR_WECHAT_API_BASE = f"http://127.0.0.1:{port}"
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]

    account = ConnectorAccountFactory(organization=org)
    WeChatClient(account).store_ticket(ticket)
    print(f"authorized {args.authorized}: {registered_count} in the register (linked by AppID), "
          f"{len(unknown)} unknown")  # fmt: skip
    calls = _measure("first sync (all new)", account.pk, args.authorized, {}, (out, stop),
                     args.tracemalloc)  # fmt: skip
    _measure("second sync (nothing changed)", account.pk, args.authorized, calls, (out, stop),
             args.tracemalloc)  # fmt: skip
    stop.put("stop")
    server.join(10)


if __name__ == "__main__":
    main()
