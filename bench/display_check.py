"""Benchmark: the display checker over 2,000 sites served by a local server.

    .venv/bin/python bench/display_check.py [--sites 2000] [--concurrency 8] [--batch 25]

Creates scratch database icp_bench_display (dropped first), 2,000 live filed websites of
400 operators (distinct host names, each resolved to 127.0.0.1 by a hosts-file resolver,
reached through core.egress with loopback on the allow-list), and a web server in a child
process serving a 40 KB home page per host (9 in 10 with a correct footer, 1 in 10 with a
public-security code that does not match). Then one process plays one worker: the sweep
queues every site, and the batches run one after the other, each fetching
DISPLAY_CHECK_CONCURRENCY pages at once, judging them and storing the evidence (compressed
page, findings). Reports sites per minute for this worker, CPU seconds, peak RSS (and with
--tracemalloc, which slows the run, peak Python allocations), and checks that exactly the
broken tenth has findings.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import setup, use_database

BROKEN_EVERY = 10
FILLER = "<p>" + "产品介绍与服务说明。" * 40 + "</p>"


def _page(host: str) -> bytes:
    n = int(host.split(".")[0][4:])
    code = "44010602000002" if n % BROKEN_EVERY == 0 else "44010602000001"
    footer = (
        '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">'
        "粤ICP备2024012345号-1</a> "
        f'<a href="https://beian.mps.gov.cn/#/query/webSearch?code={code}" target="_blank">'
        '<img src="/gongan.png" alt="公安备案">粤公网安备44010602000001号</a>'
    )
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>首页</title>"
        "<script>var x = 1;</script></head><body><main>"
        + FILLER * 30
        + f"</main><footer><p>© 2026 {host}</p><p>{footer}</p></footer></body></html>"
    )
    return body.encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        body = _page((self.headers.get("Host") or "site0.x").split(":")[0])
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _serve(port_out) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--per-operator", type=int, default=5, help="sites per operator")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
    )
    args = parser.parse_args()

    use_database("icp_bench_display", recreate=True)
    setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from core.egress import resolver
    from miniprograms.models import Domain
    from monitoring.display import services
    from monitoring.models import DisplayCheck
    from tests.factories import OperatorFactory, OrganizationFactory

    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    port = ports.get(timeout=10)

    resolver.resolve = lambda host, port: ["127.0.0.1"]  # a hosts file: every name is local
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    settings.DISPLAY_CHECK_URLS = [f"http://{{host}}:{port}/"]
    settings.DISPLAY_CHECK_CONCURRENCY = args.concurrency
    settings.DISPLAY_CHECK_BATCH_SIZE = args.batch
    settings.DISPLAY_SWEEP_LIMIT = args.sites
    settings.DISPLAY_CHECK_SCREENSHOTS = False

    org = OrganizationFactory(name="bench-display")
    operators = [
        OperatorFactory(organization=org, province_id="440000")
        for _ in range(-(-args.sites // args.per_operator))
    ]
    Domain.objects.bulk_create(
        [
            Domain(
                organization=org,
                operator=operators[n // args.per_operator],
                name=f"site{n}.bench-display.cn",
                tld_id="cn",
                icp_number="粤ICP备2024012345号-1",
                psb_number="粤公网安备44010602000001号",
                live_since="2025-01-01",
            )
            for n in range(args.sites)
        ]
    )

    queued = services.display_sweep()
    assert len(queued) == args.sites, len(queued)
    batches = [queued[i : i + args.batch] for i in range(0, len(queued), args.batch)]

    if args.tracemalloc:
        tracemalloc.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    done = sum(services.display_checks_run(batch) for batch in batches)
    wall = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
    tracemalloc.stop()
    server.terminate()

    with_findings = DisplayCheck.objects.exclude(findings=[]).count()
    expected = len(range(0, args.sites, BROKEN_EVERY))
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    rss_mb = cpu1.ru_maxrss / 1024
    print(f"sites checked         {done}")
    print(f"wall                  {wall:.1f} s")
    print(
        f"sites per minute      {done / wall * 60:.0f} (one worker, concurrency {args.concurrency})"
    )
    print(f"CPU in the worker     {cpu:.1f} s ({cpu / done * 1000:.1f} ms per site)")
    if args.tracemalloc:
        print(f"peak Python allocs    {peak / 1e6:.1f} MB (tracemalloc)")
    print(f"peak RSS              {rss_mb:.0f} MB")
    print(f"checks with findings  {with_findings} (expected {expected})")
    if with_findings != expected:
        raise SystemExit("wrong findings")


if __name__ == "__main__":
    main()
