"""Idle and absolute session limits (core.middleware.SessionTimeoutMiddleware)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.middleware import POLL_HEADER

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def signed_in(client, manager, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(manager)
    assert client.get(reverse("dashboard:overview")).status_code == 200
    return client


def _at(time_machine, **delta):
    time_machine.move_to(START + dt.timedelta(**delta), tick=False)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_idle_session_is_signed_out(signed_in, time_machine):
    _at(time_machine, minutes=31)
    response = signed_in.get(reverse("dashboard:overview"))
    assert _is_login_redirect(response)
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == ["You were signed out after 30 minutes without activity."]
    assert "_auth_user_id" not in signed_in.session
    # Still signed out on the next request: nothing brought the session back.
    assert _is_login_redirect(signed_in.get(reverse("dashboard:overview")))


def test_just_under_the_idle_limit_keeps_the_session(signed_in, time_machine):
    _at(time_machine, minutes=29, seconds=59)
    assert signed_in.get(reverse("dashboard:overview")).status_code == 200


def test_activity_keeps_the_session_alive(signed_in, time_machine):
    for step in range(1, 7):  # every 20 minutes for two hours
        _at(time_machine, minutes=20 * step)
        assert signed_in.get(reverse("dashboard:overview")).status_code == 200


def test_activity_is_written_at_most_once_a_minute(signed_in, time_machine):
    def session_writes(**delta) -> int:
        _at(time_machine, **delta)
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse("dashboard:overview")).status_code == 200
        return sum(
            1
            for q in queries.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
        )

    assert session_writes(seconds=30) == 0
    assert session_writes(seconds=59) == 0
    assert session_writes(seconds=61) == 1
    assert session_writes(seconds=90) == 0


def test_background_polls_do_not_count_as_activity(signed_in, time_machine):
    for minutes in (10, 20, 29):
        _at(time_machine, minutes=minutes)
        poll = signed_in.get(reverse("dashboard:overview"), headers={POLL_HEADER: "1"})
        assert poll.status_code == 200
    _at(time_machine, minutes=31)
    assert _is_login_redirect(signed_in.get(reverse("dashboard:overview")))


def test_a_busy_session_still_ends_at_the_absolute_limit(signed_in, time_machine, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    for step in range(1, 36):  # every 20 minutes for 11h40
        _at(time_machine, minutes=20 * step)
        assert signed_in.get(reverse("dashboard:overview")).status_code == 200
    _at(time_machine, hours=12, minutes=1)
    response = signed_in.get(reverse("dashboard:overview"))
    assert _is_login_redirect(response)
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == ["Your session has ended. Please sign in again."]


def test_the_idle_limit_is_a_setting(signed_in, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    _at(time_machine, minutes=4)
    assert signed_in.get(reverse("dashboard:overview")).status_code == 200
    _at(time_machine, minutes=9, seconds=30)
    assert _is_login_redirect(signed_in.get(reverse("dashboard:overview")))


def test_an_idle_session_gets_no_api_answer(signed_in, time_machine, operator):
    url = reverse("operator-list")
    assert signed_in.get(url).status_code == 200
    _at(time_machine, minutes=45)
    response = signed_in.get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_an_idle_htmx_request_sends_the_page_to_sign_in(signed_in, time_machine):
    _at(time_machine, minutes=31)
    response = signed_in.get(
        reverse("dashboard:overview"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/operators/?q=1"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login") + "?next=/operators/%3Fq%3D1"
    assert "_auth_user_id" not in signed_in.session


def test_anonymous_requests_are_untouched(client, db, time_machine):
    time_machine.move_to(START, tick=False)
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "_seen_at" not in client.session


def test_the_first_request_after_sign_in_writes_no_session(client, manager, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(manager)
    assert client.session["_started_at"] == int(START.timestamp())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard:overview")).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert writes == []
