"""Load a realistic demo portfolio. Idempotent: a second run adds nothing.

`--clients N` adds N more clients to the demo agency (a portfolio of 40+ to look at);
`--scale N` adds N generated operators (with a mini-program and a domain each) through bulk
writes, for benchmarks and for a feel of a large agency.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from compliance import tracking
from demo.clients import DemoClients
from demo.common import DEMO_PASSWORD
from demo.filings import DemoFilings
from demo.register import DemoRegister
from demo.scale import DemoScale


class Command(DemoRegister, DemoFilings, DemoClients, DemoScale, BaseCommand):
    help = "Load the demo portfolio (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, default=0, help="more clients in the demo agency"
        )
        parser.add_argument("--scale", type=int, default=0, help="extra generated operators")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, clients: int, scale: int, quiet: bool, **options):
        # Compliance rows are evaluated once at the end, not after every saved object.
        with tracking.deferred():
            with transaction.atomic():
                created = self._demo()
                if clients:
                    self._clients(clients)
            if scale:
                self._scale(scale)
        if not quiet:
            self.stdout.write(
                ("Demo data loaded." if created else "Demo data already present; nothing added.")
                + f"\nLogins (password for all: {DEMO_PASSWORD}):\n"
                + "  admin            superuser, Django admin at /admin/\n"
                + "  agency_manager   manager of the demo agency (all clients)\n"
                + "  agency_staff     editor limited to two assigned clients\n"
                + "  agency_viewer    read-only, whole agency\n"
                + "  client_officer   compliance officer of 深圳市鹏程网络科技有限公司, read-only\n"
                + "  rival_manager    manager of another agency (sees none of the above)\n"
            )

    # -- users and organizations -------------------------------------------------------------
