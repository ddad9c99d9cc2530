"""List and overview pages run the same number of SQL queries for 10x the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from compliance import tracking
from filings.models import FilingStatus, FilingStatusChange
from miniprograms.models import Operator
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
S = FilingStatus
PAGES = [
    ("dashboard:overview", ""),
    ("dashboard:overview", "?as_of=2024-03-15"),
    ("dashboard:portfolio", ""),
    ("dashboard:portfolio", "?sort=-deadline&status=overdue"),
    ("dashboard:portfolio", "?q=ceshi&sort=takedown&page_size=50"),
    ("dashboard:portfolio", "?staff=none&sort=name"),
    ("dashboard:operator_list", "?sort=-services"),
    ("dashboard:miniprogram_list", "?q=小程序"),
    ("dashboard:domain_list", "?sort=expires"),
    ("dashboard:filing_list", "?status=provider_review"),
    ("dashboard:filing_list", ""),
]


def build(org, n: int) -> None:
    """n operators, each with a mini-program, a domain, a person and an application."""
    long_ago = timezone.now() - datetime.timedelta(days=90)
    statuses = [S.DRAFT, S.PROVIDER_REVIEW, S.AUTHORITY_REVIEW, S.APPROVED, S.SMS_VERIFICATION]
    for i in range(n):
        op = OperatorFactory(organization=org)
        mp = MiniProgramFactory(operator=op, launch_date=datetime.date(2023, 1, 1))
        DomainFactory(operator=op, expires_on=timezone.localdate() + datetime.timedelta(days=i))
        PersonFactory(operator=op, id_expires_on=timezone.localdate() + datetime.timedelta(days=i))
        status = statuses[i % len(statuses)]
        f = FilingFactory(miniprogram=mp, status=status, status_entered_at=long_ago)
        if status != S.DRAFT:
            FilingStatusChange.objects.create(
                filing=f, from_status=S.DRAFT, to_status=status, created_at=long_ago
            )


def count_queries(client, url: str) -> int:
    # Rows are refreshed when the writing transaction commits, which tests never do: apply
    # the marked changes first so that only the page's own reads are counted.
    tracking.flush()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "query"), PAGES)
@pytest.mark.parametrize("limited", [False, True], ids=["manager", "assigned_editor"])
def test_query_count_does_not_grow_with_data_case(client_for, org, name, query, limited):
    """Same count for 2 and 20 operators, for a full manager and an editor limited to
    assigned clients (whose scope goes through the assignment subquery)."""
    url = reverse(name) + query
    membership = MembershipFactory(
        organization=org, role=Role.EDITOR if limited else Role.MANAGER, limited_to_assigned=limited
    )
    c = client_for(membership.user)

    def grow(n: int) -> None:
        build(org, n)
        if limited:
            membership.operators.set(Operator.objects.filter(organization=org))

    grow(2)
    c.get(url)  # warm per-process caches (content types, calendar years)
    small = count_queries(c, url)
    grow(18)  # 20 in all: ten times the small set
    large = count_queries(c, url)
    assert small == large, f"{url}: {small} queries for 2 operators, {large} for 20"


def test_notification_inbox_query_count_does_not_grow(client_for, org, manager):
    from tests.factories import make_notification

    op = OperatorFactory(organization=org)
    c = client_for(manager)
    url = reverse("notification_pages:inbox") + "?state=all"
    for i in range(2):
        make_notification(manager, op, title=f"提醒{i}", n=i)
    few = count_queries(c, url)
    for i in range(2, 20):
        make_notification(manager, op, title=f"提醒{i}", n=i)
    assert count_queries(c, url) == few


def test_documents_checklist_query_count_does_not_grow(client_for, org, manager):
    from django.core.files.base import ContentFile

    from documents.models import Document

    op = OperatorFactory(organization=org)
    c = client_for(manager)
    url = reverse("documents:checklist", args=[op.pk])

    def add(n: int) -> None:
        for i in range(n):
            mp = MiniProgramFactory(operator=op)
            Document.objects.create(
                organization=org,
                operator=op,
                miniprogram=mp,
                doc_type="service_person_id",
                name=f"证件{i}",
                file=ContentFile(b"%PDF-1.4", name="x.pdf"),
                original_name="x.pdf",
                content_type="application/pdf",
                size=8,
                expires_on=timezone.localdate() + datetime.timedelta(days=i),
            )

    add(2)
    few = count_queries(c, url)
    add(18)
    assert count_queries(c, url) == few


def test_overview_query_count_is_the_same_for_2_and_200_clients(client_for, org, manager):
    """The overview (today first, cut lists with their totals, applications waiting on us)
    reads a constant number of queries whatever the portfolio: 2 clients, then 200, where
    every list is cut and every kind of waiting application is present."""
    c = client_for(manager)
    url = reverse("dashboard:overview")
    build(org, 2)
    c.get(url)  # warm per-process caches (content types, calendar years)
    small = count_queries(c, url)
    build(org, 195)
    for status in (S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED, S.DRAFT):
        FilingFactory(miniprogram__operator=OperatorFactory(organization=org), status=status)
    large = count_queries(c, url)
    ctx = c.get(url).context
    assert ctx["lists"]["overdue"]["cut"], "200 clients should fill the overdue list"
    assert ctx["waiting"].count > len(ctx["waiting"].rows)
    assert ctx["waiting"].counts["provider_rejected"] == 1
    assert small == large, f"{small} queries for 2 clients, {large} for 200"
