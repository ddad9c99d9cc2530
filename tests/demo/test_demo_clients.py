"""`seed_demo --clients N`: a demo agency of 40+ clients, idempotent."""

from django.core.management import call_command

from accounts.access import operator_scope_q
from accounts.models import User
from compliance import tracking
from compliance.models import OperatorCompliance
from miniprograms.models import Operator


def test_more_clients_join_the_demo_agency_once(db):
    call_command("seed_demo", quiet=True)
    before = Operator.objects.filter(organization__slug="demo-agency").count()
    call_command("seed_demo", clients=38, quiet=True)
    agency = Operator.objects.filter(organization__slug="demo-agency")
    assert agency.count() == before + 38
    call_command("seed_demo", clients=38, quiet=True)
    assert agency.count() == before + 38
    # Every new client has a person, a service and a domain, and some are the staff's.
    new = agency.filter(uscc__startswith="91")
    assert all(op.people.exists() and op.miniprograms.exists() for op in new)
    staff = User.objects.get(username="agency_staff")
    assert Operator.objects.filter(operator_scope_q(user=staff)).count() == 2 + 13
    # The generated dates make a portfolio with work in it, not 44 identical rows.
    tracking.flush()
    statuses = set(
        OperatorCompliance.objects.filter(operator__in=agency).values_list(
            "worst_status", flat=True
        )
    )
    assert {"overdue", "due_soon"} <= statuses
