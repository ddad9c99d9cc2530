"""/healthz and /readyz: JSON, no login, no secrets; each readiness check timed."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from core import health


def test_healthz_answers_without_the_database(client):
    # No db fixture: pytest-django would raise on any database access.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_any_host_name(client, db):
    # A probe by IP address is not refused by ALLOWED_HOSTS.
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/some-page/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_readyz_reports_each_check_with_its_time(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "media"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["ms"], float)


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://:s3cret@127.0.0.1:1/0")
def test_readyz_is_503_when_the_broker_is_down_and_says_no_more_than_the_error_class(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    text = response.content.decode()
    assert "s3cret" not in text
    assert "127.0.0.1" not in text


@pytest.mark.django_db
def test_readyz_is_503_when_media_is_not_writable(client, tmp_path, settings):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    settings.MEDIA_ROOT = str(not_a_folder)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["status"] == "error"


def test_a_check_that_hangs_times_out(settings):
    settings.READINESS_TIMEOUT_SECONDS = 0.2

    def hang(timeout: float) -> None:
        time.sleep(2)

    def quick(timeout: float) -> None:
        return None

    started = time.perf_counter()
    results = health.run_checks({"slow": hang, "fast": quick})
    assert time.perf_counter() - started < 1.5
    assert results["slow"]["status"] == "timeout"
    assert results["fast"]["status"] == "ok"


def test_readyz_refuses_writes(client, db):
    # POST is not a probe: it goes through the normal chain (no such page).
    assert client.post("/readyz").status_code == 404
