"""A real stopped database: the app served by gunicorn in a subprocess whose DATABASE_URL
points at a closed port. Pages and the API answer 503 (branded HTML, JSON), /readyz says which
check failed, /healthz stays 200, and the access log has paths only (gunicorn's and
runserver's)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
ID_NUMBER = "110105198001011019"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def serve(command: list[str], port: int, log: Path, database_url: str = "") -> Iterator[str]:
    # By default a port nothing listens on: the database is "stopped".
    database_url = database_url or f"postgres://postgres@127.0.0.1:{free_port()}/icp_down"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icpfiling.settings.test",
        "DATABASE_URL": database_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def gunicorn_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"


@pytest.fixture(scope="module")
def gunicorn_down(gunicorn_log) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "icpfiling.wsgi",
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    yield from serve(command, port, gunicorn_log)


def test_healthz_is_200_and_readyz_names_the_database(gunicorn_down):
    assert get(gunicorn_down + "/healthz")[0] == 200
    status, _headers, body = get(gunicorn_down + "/readyz")
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["database"]["status"] == "error"
    assert checks["media"]["status"] == "ok"
    assert "icp_down" not in body  # no connection details


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/operators/?q=" + ID_NUMBER])
def test_pages_answer_a_branded_503(gunicorn_down, path):
    status, headers, body = get(gunicorn_down + path, **{"Accept-Language": "zh-CN"})
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert 'data-testid="error-page"' in body
    assert '<html lang="zh-hans">' in body
    assert "/static/css/app.css" in body


def test_a_signed_in_browser_gets_the_503_too(gunicorn_down):
    # The session cookie makes the session middleware read the database first.
    status, _headers, body = get(gunicorn_down + "/", Cookie="sessionid=abc123")
    assert status == 503
    assert 'data-testid="error-page"' in body


@pytest.mark.parametrize("path", ["/api/v1/operators/", "/api/v1/compliance/?as_of=2024-03-01"])
def test_the_api_answers_json_503(gunicorn_down, path):
    status, headers, body = get(gunicorn_down + path, Authorization="Token abc")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["code"] == "service_unavailable"


def test_gunicorn_access_log_has_paths_only(gunicorn_down, gunicorn_log):
    get(gunicorn_down + f"/operators/?q={ID_NUMBER}&x=1", Referer=f"http://x/?q={ID_NUMBER}")
    time.sleep(0.3)
    log = gunicorn_log.read_text()
    assert '"GET /operators/ HTTP/1.1" 503' in log
    assert ID_NUMBER not in log
    assert "q=" not in log


def test_runserver_log_has_paths_only(tmp_path, django_db_setup):
    # runserver checks migrations before it serves, so it runs on the test database.
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = free_port()
    log = tmp_path / "runserver.log"
    command = [
        sys.executable,
        "manage.py",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
        "--skip-checks",
    ]
    for base in serve(command, port, log, database_url=url):
        assert get(base + f"/accounts/login/?q={ID_NUMBER}")[0] == 200
        assert get(base + f"/healthz?q={ID_NUMBER}")[0] == 200
        time.sleep(0.3)
    text = log.read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in text
    assert ID_NUMBER not in text
    assert "q=" not in text


def test_django_server_records_lose_their_query_string():
    # runserver logs through "django.server" (WSGIRequestHandler.log_message) like this.
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logger = logging.getLogger("django.server")
    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.info('"%s" %s %s', f"GET /operators/?q={ID_NUMBER} HTTP/1.1", "200", "512")
    finally:
        logger.removeHandler(handler)
    assert seen == ['"GET /operators/ HTTP/1.1" 200 512']
