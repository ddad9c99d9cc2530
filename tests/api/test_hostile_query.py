"""Numbers past any real value and odd strings in query strings: answered, never a 5xx."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"  # past PostgreSQL's bigint

API_PATHS = [
    f"/api/v1/compliance/?offset={BIG}",
    f"/api/v1/compliance/?operator={BIG}",
    f"/api/v1/compliance/operators/?offset={BIG}",
    f"/api/v1/compliance/items/?page={BIG}",
    f"/api/v1/compliance/items/?page_size={BIG}",
    f"/api/v1/compliance/items/?operator={BIG}",
    f"/api/v1/compliance/items/?owner={BIG}",
    f"/api/v1/compliance/items/{BIG}/",
    f"/api/v1/operators/?page={BIG}",
    f"/api/v1/operators/{BIG}/",
    f"/api/v1/miniprograms/?operator={BIG}",
    f"/api/v1/notifications/?page={BIG}",
    "/reports/export/compliance.csv?as_of=9999-12-31",
    f"/reports/export/compliance.csv?offset={BIG}",
]

PAGE_PATHS = [
    f"/work/?operator={BIG}",
    f"/work/?owner={BIG}",
    f"/work/?page={BIG}",
    f"/work/?page_size={BIG}",
    f"/operators/{BIG}/",
    f"/operators/?page={BIG}",
    f"/portfolio/?staff={BIG}",
    f"/portfolio/?page_size={BIG}",
    "/portfolio/?as_of=9999-12-31",
    f"/miniprograms/?operator={BIG}",
    f"/licences/?operator={BIG}",
    f"/miniprograms/new/?operator={BIG}",
    f"/filings/new/?operator={BIG}",
    "/tools/number-checker/?text=" + "x" * 20000,
    f"/notifications/?page={BIG}",
    "/?as_of=2024-02-30",
    "/?as_of=0001-01-01",
]


@pytest.mark.parametrize("path", API_PATHS)
def test_api_and_exports(api, manager, operator, path):
    client = api(manager)
    client.raise_request_exception = False
    assert client.get(path).status_code < 500


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_pages(manager, operator, path):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    assert client.get(path).status_code < 500


def test_an_offset_past_any_list_is_a_400(api, manager, operator):
    response = api(manager).get("/api/v1/compliance/", {"offset": BIG})
    assert response.status_code == 400
    assert "offset" in response.json()
