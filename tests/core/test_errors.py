"""500 and 503 answers: a branded page in the visitor's language, JSON under /api/."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from core.errors import database_unavailable, server_error


def answer(path: str, exc: Exception, **headers):
    request = RequestFactory().get(path, **headers)
    try:
        raise exc
    except Exception:
        return server_error(request)


def test_database_unreachable_is_a_503_page_with_retry_after(settings):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 45
    response = answer("/operators/", OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "45"
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert "Service unavailable" in html
    assert "css/app.css" in html
    assert "connection refused" not in html


def test_a_database_error_wrapped_in_another_is_still_a_503():
    outer = RuntimeError("while loading the session")
    outer.__cause__ = OperationalError("server closed the connection")
    assert database_unavailable(outer)
    assert not database_unavailable(RuntimeError("bug"))
    assert not database_unavailable(None)


class _ServerReportedError(Exception):
    """What the driver raises when the server itself reports an error (SQLSTATE set)."""

    pgcode = "40P01"  # deadlock_detected


def test_an_error_the_database_reported_is_a_500_not_unavailable():
    deadlock = OperationalError("deadlock detected")
    deadlock.__cause__ = _ServerReportedError()
    assert not database_unavailable(deadlock)
    assert not database_unavailable(OperationalError("no such table: miniprograms_operator"))
    assert database_unavailable(InterfaceError("connection already closed"))
    assert answer("/operators/", deadlock).status_code == 500


def test_any_other_error_is_a_branded_500_without_retry_after():
    response = answer("/operators/", ZeroDivisionError("boom"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    html = response.content.decode()
    assert "Server error" in html
    assert "boom" not in html


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (OperationalError("down"), 503, "service_unavailable"),
        (KeyError("x"), 500, "server_error"),
    ],
)
def test_api_answers_json(exc, status, code):
    response = answer("/api/v1/operators/", exc)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == code
    assert body["detail"]


def test_the_page_follows_accept_language():
    zh = answer("/", OperationalError("down"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    en = answer("/", OperationalError("down"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in zh.content.decode()
    assert '<html lang="en">' in en.content.decode()


def test_an_uncaught_view_error_reaches_the_handler(client, manager, monkeypatch):
    from dashboard.views import tools

    def broken(request):
        raise ZeroDivisionError

    monkeypatch.setattr(tools, "NumberCheckForm", broken)
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get("/tools/number-checker/")
    assert response.status_code == 500
    assert 'data-testid="error-page"' in response.content.decode()


def test_a_page_that_cannot_render_still_answers(monkeypatch):
    import core.errors

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(core.errors, "render_to_string", broken)
    response = answer("/", OperationalError("down"))
    assert response.status_code == 503
    assert "database cannot be reached" in response.content.decode()


def test_the_language_the_middleware_chose_wins():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    request.LANGUAGE_CODE = "zh-hans"  # e.g. the signed-in user's own language
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        response = server_error(request)
    assert '<html lang="zh-hans">' in response.content.decode()
