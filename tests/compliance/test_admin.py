"""Rules and the calendar are edited in the admin."""

import pytest

from compliance.models import CalendarOverride, ComplianceRule

pytestmark = pytest.mark.django_db


def test_admin_lists_and_edits_rules(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/compliance/compliancerule/").status_code == 200
    rule = ComplianceRule.objects.get(code="domain_expiry")
    page = client.get(f"/admin/compliance/compliancerule/{rule.pk}/change/")
    assert page.status_code == 200
    assert b'name="code"' not in page.content  # the engine dispatches on it: read-only
    response = client.post(
        f"/admin/compliance/compliancerule/{rule.pk}/change/",
        {
            "title": rule.title,
            "description": rule.description,
            "source": rule.source,
            "verified": "on",
            "active": "on",
            "params": '{"warn_days": 120}',
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"warn_days": 120}


def test_admin_adds_calendar_override(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/compliance/calendaroverride/add/").status_code == 200
    assert client.get("/admin/compliance/knowncalendaryear/").status_code == 200
    response = client.post(
        "/admin/compliance/calendaroverride/add/",
        {"date": "2027-02-06", "is_working_day": "on", "note": "2027 notice make-up day"},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date="2027-02-06").is_working_day is True


def test_staff_with_every_permission_cannot_change_rules_or_reference_data(client, org):
    """Rules, the calendar, provinces and TLDs apply to every tenant: superusers only."""
    from accounts.models import Role
    from miniprograms.models import Province
    from tests.factories import make_staff

    client.force_login(make_staff(org, Role.MANAGER, reveal_pii=True))
    rule = ComplianceRule.objects.get(code="domain_expiry")
    province = Province.objects.get(code="440000")
    before = (rule.params, rule.active, province.review_working_days)

    for url in (
        "/admin/compliance/compliancerule/",
        "/admin/compliance/calendaroverride/",
        "/admin/miniprograms/province/",
        "/admin/miniprograms/topleveldomain/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/compliance/compliancerule/{rule.pk}/change/",
        {"title": rule.title, "source": rule.source, "params": '{"warn_days": 1}', "active": ""},
    )

    assert response.status_code == 403
    rule.refresh_from_db()
    province.refresh_from_db()
    assert (rule.params, rule.active, province.review_working_days) == before
    assert not CalendarOverride.objects.exists()
