"""Hostile input answers 400 with a reason, never 500: deep or huge JSON, dates out of range."""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from core.parsers import json_depth
from reports.models import ReportRun
from tests.compliance.worklist_helpers import open_item
from tests.factories import DomainFactory, MiniProgramFactory

pytestmark = pytest.mark.django_db

PARSE = "/api/v1/numbers/parse/"
COMPLIANCE = "/api/v1/compliance/"
FORM = "application/x-www-form-urlencoded"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_a_thousand_deep_is_a_400_for_anyone(api):
    response = api().post(PARSE, nested(1000), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert "64" in response.json()["detail"]


def test_json_nested_at_the_limit_is_parsed(api):
    # 64 levels pass the parser; the serializer then refuses the list as a body.
    at_limit = api().post(PARSE, nested(64), content_type="application/json")
    over = api().post(PARSE, nested(65), content_type="application/json")
    assert at_limit.status_code == 400
    assert at_limit.json().get("code") != "json_too_deep"
    assert over.json()["code"] == "json_too_deep"


def test_brackets_inside_strings_do_not_count(api):
    text = "[[[[" + '"' + "[" * 500 + '\\"{' + '"' + "]]]]"
    assert json_depth(text) == 4
    body = json.dumps({"text": "[" * 500 + "{" * 500})
    response = api().post(PARSE, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json().get("code") != "json_too_deep"  # a bad number, not a bad body


def test_a_valid_body_still_parses(api):
    response = api().post(
        PARSE, json.dumps({"text": "京ICP备12345678号"}), content_type="application/json"
    )
    assert response.status_code == 200


@override_settings(API_BODY_MAX_BYTES=1000)
def test_json_larger_than_the_limit_is_a_400(api):
    body = json.dumps({"text": "x" * 1000})
    response = api().post(PARSE, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "body_too_large"


@override_settings(API_BODY_MAX_BYTES=1000)
def test_a_form_body_larger_than_the_limit_is_a_400(api):
    small = api().post(PARSE, urlencode({"text": "京ICP备12345678号"}), content_type=FORM)
    large = api().post(PARSE, urlencode({"text": "x" * 1000}), content_type=FORM)
    assert small.status_code == 200
    assert large.status_code == 400
    assert large.json()["code"] == "body_too_large"


def test_invalid_json_is_a_400(api):
    response = api().post(PARSE, '{"text": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    ("as_of", "ok"),
    [
        ("9999-12-31", False),
        ("0001-01-01", False),
        ("1999-12-31", False),
        ("2101-01-01", False),
        ("2000-01-01", True),
        ("2100-12-31", True),
    ],
)
def test_as_of_outside_the_range_is_a_400(api, manager, operator, as_of, ok):
    response = api(manager).get(COMPLIANCE, {"as_of": as_of, "operator": operator.pk})
    assert response.status_code == (200 if ok else 400)
    if not ok:
        assert "2000-01-01" in str(response.json()["as_of"])


def test_operator_compliance_as_of_far_future_is_a_400(api, manager, operator):
    response = api(manager).get("/api/v1/compliance/operators/", {"as_of": "9999-12-31"})
    assert response.status_code == 400


def test_snooze_until_the_end_of_time_is_refused_and_changes_nothing(api, editor, operator):
    item = open_item(operator)
    response = api(editor).post(
        f"/api/v1/compliance/items/{item.pk}/snooze/",
        {"until": "9999-12-31", "reason": "forever"},
        format="json",
    )
    assert response.status_code == 400
    assert "until" in response.json()
    item.refresh_from_db()
    assert item.snoozed_until is None


def test_overview_page_as_of_out_of_range_shows_today_with_a_message(client, manager):
    client.force_login(manager)
    response = client.get("/", {"as_of": "9999-12-31"})
    assert response.status_code == 200
    assert "9999-12-31" in response.content.decode()  # the message quotes what was typed


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_register_dates_outside_the_range_are_refused_and_change_nothing(
    api, manager, operator, value
):
    domain = DomainFactory(operator=operator, expires_on=datetime.date(2030, 1, 1))
    mp = MiniProgramFactory(operator=operator, launch_date=datetime.date(2022, 6, 1))
    c = api(manager)
    r1 = c.patch(f"/api/v1/domains/{domain.pk}/", {"expires_on": value}, format="json")
    r2 = c.patch(f"/api/v1/miniprograms/{mp.pk}/", {"launch_date": value}, format="json")
    assert (r1.status_code, r2.status_code) == (400, 400)
    assert "2100-12-31" in r1.json()["expires_on"][0]
    domain.refresh_from_db()
    mp.refresh_from_db()
    assert domain.expires_on == datetime.date(2030, 1, 1)
    assert mp.launch_date == datetime.date(2022, 6, 1)
    # The overview still evaluates (a stored 0001-01-01 used to overflow the engine).
    assert c.get("/api/v1/compliance/").status_code == 200


def test_report_as_of_outside_the_range_is_a_400(api, manager, operator):
    response = api(manager).post(
        "/api/v1/reports/",
        {"kind": "inspection", "operator": operator.pk, "as_of": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert not ReportRun.objects.exists()  # nothing queued or stored
    assert "2000-01-01" in str(response.json())
