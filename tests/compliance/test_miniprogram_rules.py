"""The 2023 notice: existing services by 2024-03-31, the inspection window, file before launch
(domain.md §4). Every boundary on both sides."""

import pytest

from compliance.rules import RuleCode as R
from miniprograms.models import Lifecycle, ServiceKind
from tests.factories import MiniProgramFactory

from .helpers import D, approve, at_beijing, item_for

pytestmark = pytest.mark.django_db

EXISTING = R.MINIPROGRAM_EXISTING_DEADLINE
NEW = R.MINIPROGRAM_FILE_BEFORE_LAUNCH


# --- which rule applies: launch 2023-08-31 vs 2023-09-01 -------------------------------------


def test_launch_2023_08_31_is_existing_and_2023_09_01_is_new():
    # given
    old = MiniProgramFactory(launch_date=D(2023, 8, 31))
    new = MiniProgramFactory(launch_date=D(2023, 9, 1))
    as_of = D(2024, 3, 1)
    # then
    assert item_for(EXISTING, old, as_of) is not None
    assert item_for(NEW, old, as_of) is None
    assert item_for(EXISTING, new, as_of) is None
    assert item_for(NEW, new, as_of).status == "overdue"


# --- existing services: as of 2024-03-01 / 03-31 / 04-01 / 06-30 / 07-01 ----------------------


@pytest.mark.parametrize(
    ("as_of", "status", "fragment"),
    [
        pytest.param(D(2024, 1, 30), "compliant", "due in 61 days", id="before_warning_case"),
        pytest.param(D(2024, 3, 1), "due_soon", "due in 30 days", id="2024_03_01_case"),
        pytest.param(D(2024, 3, 31), "due_soon", "deadline is today, 2024-03-31", id="03_31_case"),
        pytest.param(D(2024, 4, 1), "overdue", "inspection that runs until 2024-06-30", id="04_01"),
        pytest.param(
            D(2024, 6, 30), "overdue", "inspection that runs until 2024-06-30", id="06_30"
        ),
        pytest.param(D(2024, 7, 1), "overdue", "routine supervision since 2024-07-01", id="07_01"),
        pytest.param(D(2026, 11, 26), "overdue", "overdue since 2024-04-01", id="2026_case"),
    ],
)
def test_unfiled_existing_miniprogram_as_of(as_of, status, fragment):
    mp = MiniProgramFactory(name="老商城", launch_date=D(2022, 6, 1))
    item = item_for(EXISTING, mp, as_of)
    assert item.status == status
    assert item.due_date == D(2024, 3, 31)
    assert fragment in item.message
    assert "老商城" in item.message
    assert item.estimated is False


def test_inspection_window_messages_differ_inside_and_after():
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    inside = item_for(EXISTING, mp, D(2024, 6, 30)).message
    after = item_for(EXISTING, mp, D(2024, 7, 1)).message
    assert "taken down during the inspection" in inside
    assert "routine supervision" not in inside
    assert "routine supervision since 2024-07-01" in after


def test_approval_on_deadline_day_late_evening_beijing_counts():
    # 23:30 Beijing on 31 Mar is 15:30 UTC: still the 31st where it matters.
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    approve(miniprogram=mp, on=at_beijing(D(2024, 3, 31), 23, 30))
    assert item_for(EXISTING, mp, D(2024, 3, 30)).status == "due_soon"
    item = item_for(EXISTING, mp, D(2024, 3, 31))
    assert item.status == "compliant"
    assert "after" not in item.message
    assert item_for(EXISTING, mp, D(2026, 11, 26)).status == "compliant"


def test_approval_just_after_midnight_beijing_is_late():
    # 00:30 Beijing on 1 Apr is still 31 Mar in UTC: the Beijing date decides.
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    approve(miniprogram=mp, on=at_beijing(D(2024, 4, 1), 0, 30))
    assert item_for(EXISTING, mp, D(2024, 3, 31)).status == "due_soon"
    item = item_for(EXISTING, mp, D(2024, 4, 1))
    assert item.status == "compliant"
    assert "filed on 2024-04-01, after the 2024-03-31 deadline" in item.message


def test_imported_number_without_history_is_filed_since_always():
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1), icp_number="粤ICP备2023000001号-3X")
    assert item_for(EXISTING, mp, D(2023, 9, 1)).status == "compliant"
    assert item_for(EXISTING, mp, D(2024, 7, 1)).status == "compliant"


def test_number_with_later_approval_history_is_not_filed_before_the_approval():
    # The number was copied on approval: before the approval date it did not exist.
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    approve(miniprogram=mp, on=at_beijing(D(2024, 5, 10)))
    assert item_for(EXISTING, mp, D(2024, 5, 9)).status == "overdue"
    assert item_for(EXISTING, mp, D(2024, 5, 10)).status == "compliant"


def test_change_filing_approval_does_not_date_the_filing():
    # An imported number later changed: the change's approval date is not the filing date.
    mp = MiniProgramFactory(launch_date=D(2022, 6, 1), icp_number="粤ICP备2023000001号-3X")
    approve(miniprogram=mp, on=at_beijing(D(2025, 1, 10)), kind="change")
    assert item_for(EXISTING, mp, D(2024, 4, 1)).status == "compliant"


def test_delisted_and_not_yet_launched_are_not_applicable():
    delisted = MiniProgramFactory(launch_date=D(2022, 6, 1), lifecycle=Lifecycle.DELISTED)
    later = MiniProgramFactory(launch_date=D(2023, 5, 1))
    assert item_for(EXISTING, delisted, D(2024, 7, 1)).status == "not_applicable"
    assert item_for(EXISTING, later, D(2023, 4, 30)).status == "not_applicable"
    assert item_for(EXISTING, later, D(2023, 5, 1)).status == "compliant"  # 335 days left


def test_apps_and_quick_apps_are_covered_too():
    app = MiniProgramFactory(kind=ServiceKind.APP, name="鹏程App", launch_date=D(2021, 1, 1))
    item = item_for(EXISTING, app, D(2024, 4, 1))
    assert item.status == "overdue"
    assert item.message.startswith("App “鹏程App”")


# --- new services: file before launch --------------------------------------------------------


def test_live_without_filing_is_overdue_from_launch_date():
    mp = MiniProgramFactory(launch_date=D(2024, 5, 20), lifecycle=Lifecycle.LIVE)
    before = item_for(NEW, mp, D(2024, 5, 19))
    assert (before.status, before.due_date) == ("due_soon", D(2024, 5, 20))
    assert "in 1 days" in before.message
    at = item_for(NEW, mp, D(2024, 5, 20))
    assert at.status == "overdue"
    assert "live since 2024-05-20" in at.message


def test_in_development_due_soon_only_within_warn_days():
    mp = MiniProgramFactory(launch_date=D(2027, 1, 31), lifecycle=Lifecycle.IN_DEVELOPMENT)
    assert item_for(NEW, mp, D(2026, 12, 31)).status == "compliant"  # 31 days ahead
    assert item_for(NEW, mp, D(2027, 1, 1)).status == "due_soon"  # 30 days ahead
    passed = item_for(NEW, mp, D(2027, 2, 1))
    assert passed.status == "due_soon"
    assert "keep it offline" in passed.message


def test_filed_before_launch_is_compliant_and_late_filing_is_noted():
    on_time = MiniProgramFactory(launch_date=D(2024, 5, 20))
    approve(miniprogram=on_time, on=at_beijing(D(2024, 5, 10)))
    late = MiniProgramFactory(launch_date=D(2024, 5, 20))
    approve(miniprogram=late, on=at_beijing(D(2024, 6, 1)))
    assert item_for(NEW, on_time, D(2024, 5, 20)).status == "compliant"
    assert item_for(NEW, late, D(2024, 5, 31)).status == "overdue"
    item = item_for(NEW, late, D(2024, 6, 1))
    assert item.status == "compliant"
    assert "after going live on 2024-05-20" in item.message


def test_no_launch_date():
    planned = MiniProgramFactory(launch_date=None, lifecycle=Lifecycle.IN_DEVELOPMENT)
    live = MiniProgramFactory(launch_date=None, lifecycle=Lifecycle.LIVE)
    assert item_for(NEW, planned, D(2024, 7, 1)).status == "not_applicable"
    assert item_for(NEW, live, D(2024, 7, 1)).status == "overdue"


def test_inactive_rule_is_not_evaluated():
    from compliance.models import ComplianceRule

    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    ComplianceRule.objects.filter(code=EXISTING).update(active=False)
    assert item_for(EXISTING, mp, D(2024, 4, 1)) is None


def test_rule_params_are_data():
    from compliance.models import ComplianceRule

    mp = MiniProgramFactory(launch_date=D(2022, 6, 1))
    rule = ComplianceRule.objects.get(code=EXISTING)
    rule.params = {**rule.params, "deadline": "2024-04-30"}
    rule.save()
    item = item_for(EXISTING, mp, D(2024, 4, 1))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 4, 30))
