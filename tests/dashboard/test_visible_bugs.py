"""Small things a newcomer sees at once: the nav, TLD labels, the favicon, placeholders."""

from __future__ import annotations

import pytest
from django.utils import translation

from miniprograms.models import TldStatus
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db


def test_reports_page_has_reports_once_in_the_nav(client, manager):
    client.force_login(manager)

    page = client.get("/reports/").content.decode()

    assert page.count('data-testid="nav-reports"') == 1
    assert 'data-testid="nav-reports">Reports</a>' in page.replace('aria-current="page" ', "")


@pytest.mark.parametrize(
    ("name", "tld", "shown"),
    [
        ("example.cn", "cn", str(TldStatus.APPROVED.label)),
        ("example.notatld", "notatld", "Not in the TLD list"),
    ],
)
def test_domain_page_shows_the_tld_status_label_not_its_code(
    client, manager, operator, name, tld, shown
):
    domain = DomainFactory(operator=operator, name=name, tld_id=tld)
    client.force_login(manager)

    page = client.get(f"/domains/{domain.pk}/").content.decode()

    assert f'data-testid="tld-status">.{tld}: {shown}</dd>' in page
    assert ">approved<" not in page
    assert ">unknown<" not in page


def test_tld_label_is_translated():
    domain = DomainFactory.build(tld_id="cn")
    with translation.override("zh-hans"):
        assert domain.tld_status_display != "Approved for filing"


def test_favicon_is_linked_and_served(client, manager):
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"] != "/favicon.ico"
