"""The API's schema and docs need a signed-in user unless API_DOCS_PUBLIC (core/api_docs.py)."""

from __future__ import annotations

import re

import pytest

DOCS = ("/api/docs/",)


def test_the_default_is_private(settings):
    assert settings.API_DOCS_PUBLIC is False


def test_anonymous_schema_request_is_refused(client, db):
    response = client.get("/api/schema/")
    assert response.status_code in (401, 403)
    assert b"openapi" not in response.content


def test_anonymous_token_less_api_client_gets_no_schema(api, db):
    response = api().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert "paths" not in response.json()


@pytest.mark.parametrize("path", DOCS)
def test_anonymous_docs_visitor_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_anonymous_swagger_script_is_refused(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 302
    assert b"SwaggerUIBundle" not in response.content


def test_signed_in_user_reads_schema_and_docs(client, viewer):
    client.force_login(viewer)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/filings/{id}/transition/" in schema.content
    for path in DOCS:
        assert client.get(path).status_code == 200


def test_token_user_reads_schema(api, viewer):
    response = api(viewer).get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_public_docs_when_the_setting_says_so(client, db, settings):
    settings.API_DOCS_PUBLIC = True
    assert client.get("/api/schema/").status_code == 200
    for path in DOCS:
        assert client.get(path).status_code == 200


def test_swagger_page_has_no_inline_script_or_style(client, viewer):
    client.force_login(viewer)
    html = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all("src=" in tag for tag in scripts), scripts
    assert "<style" not in html
    assert "style=" not in html
    assert "/api/docs/?script=" in html
    init = client.get("/api/docs/?script=")
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in init.content


def test_redoc_is_not_served_it_needs_inline_styles(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/redoc/")
    assert response.status_code == 302
    assert response["Location"] == "/api/docs/"
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in docs
