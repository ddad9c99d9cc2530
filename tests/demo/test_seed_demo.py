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
