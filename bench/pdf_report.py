"""Benchmark: portfolio PDF of 1,000 services (500 operators × 1 mini-program + 1 domain).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/icp_reports \
        .venv/bin/python bench/pdf_report.py

Uses `seed_demo --scale 500` (idempotent) and a manager of the scale agency. Prints the
seconds to build the PDF (data + HTML + WeasyPrint), its size in MB, pages and queries.
"""

from __future__ import annotations

import io
import time

from _common import QueryCounter, setup  # the bench folder is on sys.path

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import Membership, Organization, Role, User  # noqa: E402
from reports import data, services  # noqa: E402

OPERATORS = 500


def main() -> None:
    call_command("seed_demo", "--scale", str(OPERATORS), "--quiet")
    org = Organization.objects.get(slug="scale-agency")
    user, _ = User.objects.get_or_create(username="bench_scale_manager")
    Membership.objects.get_or_create(user=user, organization=org, defaults={"role": Role.MANAGER})
    count = data.count_services(user=user)
    for language in ("en", "zh-hans"):
        counter = QueryCounter()
        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            pdf = services.report_render(
                user=user,
                kind="portfolio",
                params={"as_of": "2026-01-15"},
                language=language,
            )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"portfolio[{language}]: {count} services, {seconds:.2f} s wall ({cpu:.2f} s CPU), "
            f"{len(pdf) / 1e6:.2f} MB, {pages} pages, {counter.count} queries"
        )


if __name__ == "__main__":
    main()
