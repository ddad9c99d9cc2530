from django.core.management import call_command

from filings.models import FilingApplication, FilingStatus
from miniprograms.models import Domain, MiniProgram, Operator, ResponsiblePerson


def _counts():
    return [
        m.objects.count()
        for m in (Operator, MiniProgram, Domain, ResponsiblePerson, FilingApplication)
    ]


def test_seed_demo_is_idempotent_and_covers_every_state(db, capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "agency_manager" in out
    assert "demo-pass-2024" in out
    call_command("seed_demo")
    assert _counts() == first
    assert set(FilingApplication.objects.values_list("status", flat=True)) == set(
        FilingStatus.values
    )
    # Pre- and post-2023-09-01 mini-programs, and a few problem items for the dashboard.
    launches = {
        d
        for d in MiniProgram.objects.exclude(launch_date=None).values_list("launch_date", flat=True)
        if d is not None
    }
    assert any(d.isoformat() < "2023-09-01" for d in launches)
    assert any(d.isoformat() >= "2023-09-01" for d in launches)
    assert Domain.objects.filter(tld__isnull=True).count() == 0  # tld_id stored even if unknown
    assert any(d.tld_status == "unknown" for d in Domain.objects.all())
    assert any(d.registrant_mismatch for d in Domain.objects.select_related("operator"))


def test_seed_demo_scale_bulk_and_rerun_adds_nothing(db):
    call_command("seed_demo", scale=150, quiet=True)
    n = Operator.objects.filter(organization__slug="scale-agency").count()
    assert n == 150
    assert MiniProgram.objects.filter(organization__slug="scale-agency").count() == 150
    call_command("seed_demo", scale=150, quiet=True)
    assert Operator.objects.filter(organization__slug="scale-agency").count() == 150


# Deadlines set by law, not by the demo's own dates: they grow older every day, as they should.
REGULATORY_RULES = {"miniprogram_existing_deadline", "licence_annual_report"}


def test_demo_dates_are_relative_to_today_so_the_story_does_not_age(db):
    from django.utils import timezone

    from compliance import tracking
    from compliance.models import ComplianceItem

    call_command("seed_demo", quiet=True)
    tracking.flush()
    today = timezone.localdate()

    open_items = ComplianceItem.objects.filter(closed_at__isnull=True).exclude(due_date=None)
    overdue_days = {
        (i.rule, i.subject_name): (today - i.due_date).days
        for i in open_items
        if i.rule not in REGULATORY_RULES and i.due_date is not None
    }

    assert overdue_days  # the demo has deadlines of its own
    assert max(overdue_days.values()) <= 60, overdue_days
    assert any(days > 0 for days in overdue_days.values())  # still something overdue to show
    # post-2023-09-01 launches are recent; the "existing" ones keep their historical dates
    post = MiniProgram.objects.filter(launch_date__gte="2023-09-01")
    assert all(
        mp.launch_date is not None and abs((mp.launch_date - today).days) <= 90 for mp in post
    )
    assert MiniProgram.objects.filter(launch_date__lt="2023-09-01").exists()


def test_the_demo_never_fetches_its_made_up_sites(db):
    from monitoring.display.services import display_sweep
    from monitoring.models import DisplayCheck, MonitoringSettings

    call_command("seed_demo")
    organizations = set(Domain.objects.values_list("organization_id", flat=True))
    switched_off = set(
        MonitoringSettings.objects.filter(display_enabled=False).values_list(
            "organization_id", flat=True
        )
    )
    assert organizations <= switched_off
    display_sweep()
    assert not DisplayCheck.objects.exists()
