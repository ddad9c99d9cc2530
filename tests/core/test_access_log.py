"""gunicorn's access line through our logger class: no query string, whatever the format."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from gunicorn.config import Config  # type: ignore[import-untyped]

from core.access_log import PathOnlyAccessLogger, strip_query

ID_NUMBER = "110105198001011019"


def access_line(access_log_format: str) -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", access_log_format)
    logger = PathOnlyAccessLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/operators/?q={ID_NUMBER}",
        "PATH_INFO": "/operators/",
        "QUERY_STRING": f"q={ID_NUMBER}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"http://example.test/persons/?q={ID_NUMBER}",
        "HTTP_USER_AGENT": "test",
    }
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, datetime.timedelta(milliseconds=12))
    return access_log_format % logger.atoms_wrapper_class(atoms)


@pytest.mark.parametrize(
    "access_log_format",
    [
        '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"',  # gunicorn.conf.py
        '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',  # gunicorn's default
        "%(q)s %({referer}i)s %({query_string}e)s %({raw_uri}e)s",
    ],
)
def test_no_query_string_reaches_the_access_line(access_log_format):
    line = access_line(access_log_format)
    assert ID_NUMBER not in line
    assert "q=" not in line


def test_the_request_line_keeps_its_path():
    assert '"GET /operators/ HTTP/1.1" 200 512' in access_line(
        '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s'
    )


def test_strip_query_masks_an_id_number_in_a_path():
    assert strip_query(f"GET /x/{ID_NUMBER}/?a=1 HTTP/1.1") == "GET /x/110105********1019/ HTTP/1.1"
