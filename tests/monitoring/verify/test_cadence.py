"""When About-screen and MIIT checks are due: after filing, every `every_days`, and after
every approved change filing; closed by a verification (or a matching lookup)."""

from __future__ import annotations

import datetime

import pytest

from compliance.models import ComplianceRule
from compliance.rules import RuleCode as R
from filings.models import FilingKind
from miniprograms.models import Lifecycle, ServiceKind
from monitoring.models.verify import LookupStatus, VerificationKind
from monitoring.verify.cadence import CADENCE, CHANGED, NEVER, next_due
from tests.compliance.helpers import approve, at_beijing, item_for
from tests.factories import DomainFactory, MiniProgramFactory

from .factories import MiitLookupFactory, ServiceVerificationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NUMBER = "粤ICP备2024000001号-1X"


def known_since(service, day: datetime.date) -> None:
    """The register has known the service since `day`."""
    type(service).objects.filter(pk=service.pk).update(created_at=at_beijing(day, 9))


@pytest.fixture
def app(operator):
    mp = MiniProgramFactory(operator=operator, name="测试助手", kind=ServiceKind.APP)
    known_since(mp, D(2025, 12, 1))
    approve(miniprogram=mp, on=at_beijing(D(2026, 1, 5)))
    mp.icp_number = NUMBER
    mp.save(update_fields=["icp_number"])
    return mp


# --- the pure cadence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "verified", "expected"),
    [
        (None, None, (D(2026, 1, 15), NEVER)),
        (D(2026, 2, 1), None, (D(2026, 2, 11), NEVER)),
        (None, D(2026, 1, 10), (D(2026, 7, 9), CADENCE)),
        (D(2026, 3, 1), D(2026, 1, 10), (D(2026, 3, 11), CHANGED)),
        (D(2026, 1, 10), D(2026, 1, 10), (D(2026, 7, 9), CADENCE)),
        (D(2026, 1, 8), D(2026, 1, 10), (D(2026, 7, 9), CADENCE)),
        (D(2026, 7, 5), D(2026, 1, 10), (D(2026, 7, 9), CADENCE)),
    ],
    ids=[
        "never_case",
        "never_after_change_case",
        "cadence_case",
        "change_after_verification_case",
        "same_day_counts_as_verified_case",
        "change_before_verification_case",
        "cadence_comes_first_case",
    ],
)
def test_next_due(changed, verified, expected):
    due = next_due(
        filed=D(2026, 1, 5),
        changed=changed,
        verified=verified,
        every_days=180,
        after_change_days=10,
    )
    assert (due.date, due.reason) == expected


# --- about_screen_check ----------------------------------------------------------------------


def test_never_verified_is_due_after_filing_and_names_the_exact_number(app):
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 6))
    assert item.status == "due_soon"
    assert item.due_date == D(2026, 1, 15)
    assert NUMBER in item.message
    assert "beian.miit.gov.cn" in item.message
    assert item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 16)).status == "overdue"


def test_checks_count_from_when_the_register_learned_of_the_service(operator):
    mp = MiniProgramFactory(operator=operator, kind=ServiceKind.APP)
    approve(miniprogram=mp, on=at_beijing(D(2024, 6, 1)))
    known_since(mp, D(2026, 2, 1))  # entered (or imported) long after its approval
    item = item_for(R.ABOUT_SCREEN_CHECK, mp, D(2026, 2, 3))
    assert (item.status, item.due_date) == ("due_soon", D(2026, 2, 11))


def test_an_imported_number_counts_from_its_entry(operator):
    mp = MiniProgramFactory(operator=operator, icp_number=NUMBER)  # no approval history
    known_since(mp, D(2026, 2, 1))
    assert item_for(R.ABOUT_SCREEN_CHECK, mp, D(2026, 2, 3)).due_date == D(2026, 2, 11)


def test_not_filed_as_of_the_day_has_no_item(app):
    assert item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 4)) is None


def test_verified_is_compliant_until_every_days_later(app):
    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 1, 10))
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 20))
    assert (item.status, item.due_date) == ("compliant", D(2026, 7, 9))
    assert item.changes_on == D(2026, 6, 25)  # warn_days 14 before
    assert item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 6, 25)).status == "due_soon"
    again = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 7, 10))
    assert (again.status, again.due_date) == ("overdue", D(2026, 7, 9))


def test_a_verification_after_the_day_does_not_count(app):
    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 1, 20))
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 16))
    assert (item.status, item.due_date) == ("overdue", D(2026, 1, 15))


def test_a_miit_screenshot_does_not_close_the_about_screen_check(app):
    ServiceVerificationFactory(
        miniprogram=app, kind=VerificationKind.MIIT_LOOKUP, verified_on=D(2026, 1, 10)
    )
    assert item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 1, 16)).status == "overdue"


def test_due_again_after_an_approved_change_filing(app):
    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 1, 10))
    approve(miniprogram=app, on=at_beijing(D(2026, 3, 1)), kind=FilingKind.CHANGE)
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 3, 2))
    assert (item.status, item.due_date) == ("due_soon", D(2026, 3, 11))
    assert "2026-03-01" in item.message
    # verified again after the change: back on the cadence
    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 3, 5))
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 3, 6))
    assert (item.status, item.due_date) == ("compliant", D(2026, 9, 1))


def test_an_unapproved_change_filing_changes_nothing(app):
    from tests.factories import FilingFactory

    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 1, 10))
    FilingFactory(miniprogram=app, operator=app.operator, kind=FilingKind.CHANGE)
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 3, 2))
    assert (item.status, item.due_date) == ("compliant", D(2026, 7, 9))


def test_the_cadence_is_rule_data(app):
    ServiceVerificationFactory(miniprogram=app, verified_on=D(2026, 1, 10))
    ComplianceRule.objects.filter(code=R.ABOUT_SCREEN_CHECK).update(
        params={"every_days": 30, "warn_days": 5, "after_change_days": 3}
    )
    item = item_for(R.ABOUT_SCREEN_CHECK, app, D(2026, 2, 6))
    assert (item.status, item.due_date) == ("due_soon", D(2026, 2, 9))


def test_delisted_and_unfiled_services_have_no_item(operator):
    delisted = MiniProgramFactory(
        operator=operator, icp_number=NUMBER, lifecycle=Lifecycle.DELISTED
    )
    unfiled = MiniProgramFactory(operator=operator, icp_number="")
    assert item_for(R.ABOUT_SCREEN_CHECK, delisted, D(2026, 1, 6)) is None
    assert item_for(R.ABOUT_SCREEN_CHECK, unfiled, D(2026, 1, 6)) is None


def test_websites_have_no_about_screen_check(operator):
    domain = DomainFactory(operator=operator, name="shop.example.cn")
    known_since(domain, D(2025, 12, 1))
    approve(domain=domain, on=at_beijing(D(2026, 1, 5)))
    assert item_for(R.ABOUT_SCREEN_CHECK, domain, D(2026, 1, 6), "domain") is None
    assert item_for(R.MIIT_RECORD_CHECK, domain, D(2026, 1, 6), "domain") is not None


# --- miit_record_check (manual) --------------------------------------------------------------


@pytest.fixture
def site(operator):
    domain = DomainFactory(operator=operator, name="shop.example.cn")
    known_since(domain, D(2025, 12, 1))
    approve(domain=domain, on=at_beijing(D(2026, 1, 5)))
    return domain


def test_manual_check_gives_the_link_and_the_exact_query(site):
    item = item_for(R.MIIT_RECORD_CHECK, site, D(2026, 1, 6), "domain")
    assert (item.status, item.due_date) == ("due_soon", D(2026, 1, 15))
    assert "https://beian.miit.gov.cn/" in item.message
    assert "“shop.example.cn”" in item.message


def test_manual_check_of_an_app_searches_its_name(app):
    item = item_for(R.MIIT_RECORD_CHECK, app, D(2026, 1, 6), "miniprogram")
    assert "“测试助手”" in item.message


def test_screenshot_of_the_lookup_closes_the_manual_check(site):
    ServiceVerificationFactory(
        miniprogram=None, domain=site, kind=VerificationKind.MIIT_LOOKUP, verified_on=D(2026, 1, 8)
    )
    item = item_for(R.MIIT_RECORD_CHECK, site, D(2026, 1, 16), "domain")
    assert (item.status, item.due_date) == ("compliant", D(2027, 1, 8))


def test_a_matching_lookup_closes_the_manual_check_and_an_error_does_not(site):
    MiitLookupFactory(
        domain=site, status=LookupStatus.ERROR, queried_at=at_beijing(D(2026, 1, 8)), number=""
    )
    assert item_for(R.MIIT_RECORD_CHECK, site, D(2026, 1, 16), "domain").status == "overdue"
    MiitLookupFactory(domain=site, queried_at=at_beijing(D(2026, 1, 9)))
    item = item_for(R.MIIT_RECORD_CHECK, site, D(2026, 1, 16), "domain")
    assert (item.status, item.due_date) == ("compliant", D(2027, 1, 9))
