"""The daily lookup sweep, the task's re-checks, the Fix-it links and the summary tag."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from compliance.calendar import get_workday_calendar
from compliance.rules import RuleCode as R
from dashboard.fixes import fix_urls
from monitoring.models.verify import LookupStatus, MiitLookup
from monitoring.verify import services
from monitoring.verify.tasks import miit_lookup_sweep_task, miit_lookup_task
from tests.compliance.helpers import approve, at_beijing, item_for
from tests.compliance.worklist_helpers import open_item
from tests.factories import DomainFactory

from .factories import MiitLookupFactory, ServiceVerificationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def queued(monkeypatch):
    calls: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: calls.append(a))
    return calls


def test_sweep_queues_services_without_a_recent_answer(operator, app, queued, settings):
    settings.MIIT_LOOKUP_BACKEND = "http"
    fresh = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-2")
    stale = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-3")
    failed = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-4")
    DomainFactory(operator=operator, icp_number="")  # not filed: never looked up
    MiitLookupFactory(domain=fresh, queried_at=timezone.now() - datetime.timedelta(days=30))
    MiitLookupFactory(domain=stale, queried_at=timezone.now() - datetime.timedelta(days=400))
    MiitLookupFactory(domain=failed, status=LookupStatus.ERROR, number="")
    assert miit_lookup_sweep_task() == 3
    assert sorted(queued) == sorted(
        [
            ("monitoring.miit_lookup", "domain", stale.pk, None),
            ("monitoring.miit_lookup", "domain", failed.pk, None),
            ("monitoring.miit_lookup", "miniprogram", app.pk, None),
        ]
    )


def test_sweep_is_bounded_and_does_nothing_with_the_manual_backend(operator, queued, settings):
    for i in range(3):
        DomainFactory(operator=operator, icp_number=f"粤ICP备2024000001号-{i + 1}")
    assert services.lookup_sweep() == 0
    assert queued == []
    settings.MIIT_LOOKUP_BACKEND = "http"
    assert services.lookup_sweep(batch=2) == 2
    assert len(queued) == 2


def test_task_rechecks_the_service(operator, settings):
    settings.MIIT_LOOKUP_BACKEND = "http"
    domain = DomainFactory(operator=operator, icp_number="")
    assert miit_lookup_task("domain", domain.pk) == "service gone or not filed"
    assert miit_lookup_task("domain", 999999) == "service gone or not filed"
    assert miit_lookup_task("operator", operator.pk) == "service gone or not filed"
    assert MiitLookup.objects.count() == 0


def test_mismatch_gives_the_rules_working_days(operator):
    domain = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-1")
    approve(domain=domain, on=at_beijing(D(2026, 1, 5)))
    MiitLookupFactory(domain=domain, entity_name="别的公司", queried_at=at_beijing(D(2026, 3, 2)))
    item = item_for(R.MIIT_RECORD_MISMATCH, domain, D(2026, 3, 3), "domain")
    due = get_workday_calendar().add_working_days(D(2026, 3, 2), 10).date
    assert (item.status, item.due_date) == ("due_soon", due)
    late = item_for(R.MIIT_RECORD_MISMATCH, domain, due + datetime.timedelta(days=1), "domain")
    assert late.status == "overdue"
    # a later lookup that matches settles it
    MiitLookupFactory(domain=domain, queried_at=at_beijing(D(2026, 3, 4)))
    assert item_for(R.MIIT_RECORD_MISMATCH, domain, D(2026, 3, 5), "domain").status == "compliant"


@pytest.mark.parametrize(
    ("rule", "subject_type", "page"),
    [
        (R.ABOUT_SCREEN_CHECK, "miniprogram", "/miniprograms/"),
        (R.MIIT_RECORD_CHECK, "domain", "/domains/"),
        (R.MIIT_RECORD_MISMATCH, "miniprogram", "/miniprograms/"),
    ],
    ids=["about_case", "miit_domain_case", "mismatch_app_case"],
)
def test_fix_links_go_to_the_service_section(operator, rule, subject_type, page):
    item = open_item(operator, rule=rule, subject_type=subject_type, subject_id=41)
    assert fix_urls([item])[item.pk] == f"{page}41/#service-verifications"


def _summary(user) -> str:
    request = RequestFactory().get("/monitoring/")
    request.user = user
    template = Template("{% load monitoring_verify %}{% verify_summary %}")
    return template.render(Context({"request": request}))


def test_summary_counts_open_checks_in_scope(editor, other_manager, operator, app, other_app):
    from tests.factories import MiniProgramFactory

    checked = MiniProgramFactory(operator=operator, icp_number="粤ICP备2024000001号-2X")
    ServiceVerificationFactory(miniprogram=checked, verified_on=timezone.localdate())
    ServiceVerificationFactory(
        miniprogram=other_app, kind="miit_lookup", verified_on=timezone.localdate()
    )
    html = _summary(editor)
    assert 'data-testid="verify-summary"' in html
    row = html.split('data-rule="about_screen_check"')[1].split("</tr>")[0]
    assert row.endswith("<td>1</td><td>1</td><td>2</td>")  # open, overdue, services
    assert "/monitoring/verifications.csv" in html
    assert other_app.operator.name_zh not in html
    theirs = _summary(other_manager)
    row = theirs.split('data-rule="about_screen_check"')[1].split("</tr>")[0]
    assert row.endswith("<td>1</td><td>0</td><td>1</td>")
    assert other_app.operator.name_zh in theirs  # their recent verification
    assert operator.name_zh not in theirs
