"""The sweep (cadence per organization, idempotent), "Check now", the run (claims once),
purging old checks, and the site_display compliance rule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from compliance import tracking
from compliance.messages import render_message
from compliance.models import ComplianceItem
from core.exceptions import PermissionDeniedError
from monitoring.display import services
from monitoring.models import CheckStatus, CheckTrigger, DisplayCheck, MonitoringSettings
from tests.factories import DomainFactory

from .conftest import VARIANTS, host_of
from .factories import DisplayCheckFactory, live_domain

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta(days=1)


def _item(domain):
    tracking.flush()
    return ComplianceItem.objects.get(
        rule="site_display", subject_type="domain", subject_id=domain.pk, closed_at__isnull=True
    )


def test_sweep_queues_each_due_site_once_and_a_second_run_nothing(
    django_capture_on_commit_callbacks,
):
    # given: two live filed sites, one unfiled, one not live yet, one checked yesterday
    due = [live_domain(f"due{i}.example.cn", "粤ICP备2024012345号-1") for i in range(2)]
    DomainFactory(name="unfiled.example.cn", live_since=datetime.date(2025, 1, 1))
    live_domain("later.example.cn", "粤ICP备2024012345号-2", live_since=timezone.localdate() + DAYS)
    fresh = live_domain("fresh.example.cn", "粤ICP备2024012345号-3")
    DisplayCheckFactory(domain=fresh, finished_at=timezone.now() - DAYS)
    # when
    with django_capture_on_commit_callbacks() as first_callbacks:
        first = services.display_sweep()
    with django_capture_on_commit_callbacks() as second_callbacks:
        second = services.display_sweep()
    # then
    queued = DisplayCheck.objects.filter(status=CheckStatus.QUEUED)
    assert sorted(queued.values_list("domain_id", flat=True)) == sorted(d.pk for d in due)
    assert sorted(first) == sorted(queued.values_list("pk", flat=True))
    assert len(first_callbacks) == 1  # one batch
    assert second == []
    assert second_callbacks == []
    assert queued.count() == 2


def test_sweep_follows_the_organizations_cadence():
    daily = live_domain("daily.example.cn", "粤ICP备2024012345号-1")
    weekly = live_domain("weekly.example.cn", "粤ICP备2024012346号-1")
    off = live_domain("off.example.cn", "粤ICP备2024012347号-1")
    MonitoringSettings.objects.create(organization=daily.organization, display_cadence_days=1)
    MonitoringSettings.objects.create(organization=off.organization, display_enabled=False)
    for d in (daily, weekly):
        DisplayCheckFactory(domain=d, finished_at=timezone.now() - 2 * DAYS)
    services.display_sweep()
    queued = set(DisplayCheck.objects.filter(status="queued").values_list("domain_id", flat=True))
    assert queued == {daily.pk}


def test_sweep_batches_are_bounded(settings, django_capture_on_commit_callbacks):
    settings.DISPLAY_CHECK_BATCH_SIZE = 2
    settings.DISPLAY_SWEEP_LIMIT = 5
    for i in range(7):
        live_domain(f"b{i}.example.cn", "粤ICP备2024012345号-1")
    with django_capture_on_commit_callbacks() as callbacks:
        queued = services.display_sweep()
    assert len(queued) == 5
    assert len(callbacks) == 3  # 2 + 2 + 1


def test_check_now_queues_once_for_an_editor(editor, operator, django_capture_on_commit_callbacks):
    domain = live_domain("now.example.cn", "粤ICP备2024012345号-1", operator=operator)
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.display_check_request(user=editor, domain=domain)
        again = services.display_check_request(user=editor, domain=domain)
    assert first.pk == again.pk
    assert (first.trigger, first.requested_by) == (CheckTrigger.MANUAL, editor)
    assert DisplayCheck.objects.filter(domain=domain).count() == 1
    assert len(callbacks) == 1


def test_check_now_is_refused_to_a_viewer(viewer, operator):
    domain = live_domain("view.example.cn", "粤ICP备2024012345号-1", operator=operator)
    with pytest.raises(PermissionDeniedError):
        services.display_check_request(user=viewer, domain=domain)
    assert not DisplayCheck.objects.filter(domain=domain).exists()


def test_a_check_runs_once_however_often_its_message_arrives(display_env):
    domain = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    before = display_env.hits.get(host_of("correct"), 0)
    assert services.display_checks_run([check.pk]) == 1
    assert services.display_checks_run([check.pk]) == 0
    assert display_env.hits[host_of("correct")] == before + 1


def test_old_checks_are_purged(display_env, settings):
    settings.DISPLAY_CHECK_KEEP = 3
    domain = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    old = [
        DisplayCheckFactory(domain=domain, finished_at=timezone.now() - (i + 1) * DAYS)
        for i in range(4)
    ]
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    services.display_checks_run([check.pk])
    kept = set(DisplayCheck.objects.filter(domain=domain).values_list("pk", flat=True))
    assert kept == {check.pk, old[0].pk, old[1].pk}


def test_site_never_checked_is_due_soon():
    domain = live_domain("never.example.cn", "粤ICP备2024012345号-1")
    item = _item(domain)
    assert item.status == "due_soon"
    assert "not been checked yet" in render_message(item.note, language="en")


def test_check_of_a_correct_page_makes_the_site_compliant(display_env):
    domain = live_domain(host_of("correct"), *VARIANTS["correct"][1:3])
    assert _item(domain).status == "due_soon"
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    services.display_checks_run([check.pk])
    assert _item(domain).status == "compliant"


def test_findings_make_the_site_overdue_with_their_fixes(display_env):
    domain = live_domain(host_of("psb-mismatch"), *VARIANTS["psb-mismatch"][1:3])
    check = DisplayCheck.objects.create(domain=domain, operator_id=domain.operator_id)
    services.display_checks_run([check.pk])
    item = _item(domain)
    assert item.status == "overdue"
    assert item.due_date == timezone.localdate()
    text = render_message(item.note, language="en")
    assert "found 1 problem(s)" in text
    assert "Set code=44010602000001 in the link" in text


def test_warnings_only_are_due_soon():
    domain = live_domain("warn.example.cn", "粤ICP备2024012345号-1")
    DisplayCheckFactory(
        domain=domain,
        findings=[{"code": "target_typo", "severity": "warning", "values": {"target": "_block"}}],
    )
    item = _item(domain)
    assert (item.status, item.due_date) == ("due_soon", None)
    assert 'Write target="_blank"' in render_message(item.note, language="en")


def test_a_changed_number_needs_a_new_check():
    domain = live_domain("changed.example.cn", "粤ICP备2024012345号-1")
    DisplayCheckFactory(domain=domain, icp_number="粤ICP备2024012345号-2")
    assert _item(domain).status == "due_soon"


def test_other_organizations_cadence_settings_need_a_manager(manager, editor, org, other_org):
    row = services.monitoring_settings_update(
        user=manager, organization_id=org.pk, cadence_days=3, enabled=True
    )
    assert row.display_cadence_days == 3
    with pytest.raises(PermissionDeniedError):
        services.monitoring_settings_update(
            user=editor, organization_id=org.pk, cadence_days=1, enabled=True
        )
    with pytest.raises(PermissionDeniedError):
        services.monitoring_settings_update(
            user=manager, organization_id=other_org.pk, cadence_days=1, enabled=True
        )
    assert MonitoringSettings.objects.get(organization=org).display_cadence_days == 3
    assert not MonitoringSettings.objects.filter(organization=other_org).exists()


def test_switched_off_organization_has_no_display_obligation_tracked():
    domain = live_domain("off.example.cn", "粤ICP备2024012345号-1")
    MonitoringSettings.objects.create(organization=domain.organization, display_enabled=False)
    tracking.operators_changed([domain.operator_id])
    assert _item(domain).status == "not_applicable"


def test_switching_the_checker_off_updates_the_items(manager, operator, org):
    domain = live_domain("switch.example.cn", "粤ICP备2024012345号-1", operator=operator)
    assert _item(domain).status == "due_soon"
    services.monitoring_settings_update(
        user=manager, organization_id=org.pk, cadence_days=7, enabled=False
    )
    assert _item(domain).status == "not_applicable"


def test_a_changed_number_is_checked_again_before_the_cadence():
    changed = live_domain("renumbered.example.cn", "粤ICP备2024012345号-1")
    same = live_domain("same.example.cn", "粤ICP备2024012345号-2")
    DisplayCheckFactory(domain=changed, icp_number="粤ICP备2024012345号-9")
    DisplayCheckFactory(domain=same)
    services.display_sweep()
    queued = set(DisplayCheck.objects.filter(status="queued").values_list("domain_id", flat=True))
    assert queued == {changed.pk}
