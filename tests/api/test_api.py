"""API behaviour: transitions, number parsing, token auth, and 400 (never 500) on bad input."""

import pytest
from django.urls import reverse

from filings.models import FilingStatus
from tests.factories import FilingFactory, MiniProgramFactory, make_ready


def test_token_auth_round_trip(api, manager):
    manager.set_password("s3cret-pass!")
    manager.save()
    response = api().post(
        reverse("api-token"), {"username": manager.username, "password": "s3cret-pass!"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    c = api()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert c.get(reverse("operator-list")).status_code == 200


def test_token_auth_wrong_password_is_400(api, manager):
    response = api().post(reverse("api-token"), {"username": manager.username, "password": "x"})
    assert response.status_code == 400


def test_transition_200_then_409_with_allowed_list(api, manager, operator):
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    url = reverse("filing-transition", args=[filing.pk])
    ok = api(manager).post(url, {"to": "provider_review", "note": "提交"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "provider_review"
    assert ok.json()["history"][0]["note"] == "提交"
    refused = api(manager).post(url, {"to": "approved"}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert body["status"] == "provider_review"
    assert body["allowed"] == ["provider_rejected", "sms_verification", "withdrawn"]


def test_transition_approval_with_bad_number_is_400_with_field_error(api, manager, operator):
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=FilingStatus.AUTHORITY_REVIEW
    )
    response = api(manager).post(
        reverse("filing-transition", args=[filing.pk]),
        {"to": "approved", "icp_number": "京ICP备2024286477号-2X"},
        format="json",
    )
    assert response.status_code == 400
    assert "icp_number" in response.json()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.AUTHORITY_REVIEW


def test_transition_rejection_with_reasons(api, manager, operator):
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=FilingStatus.PROVIDER_REVIEW
    )
    response = api(manager).post(
        reverse("filing-transition", args=[filing.pk]),
        {
            "to": "provider_rejected",
            "reasons": [{"field": "service_name", "error": "含敏感词", "suggestion": "改名"}],
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["history"][-1]["reasons"] == [
        {
            "field": "service_name",
            "field_text": "",
            "field_label": "Service / site name",
            "error": "含敏感词",
            "suggestion": "改名",
        }
    ]


@pytest.mark.parametrize(
    "payload",
    [{"to": "nonsense"}, {}, {"to": "approved", "reasons": "not-a-list"}, {"to": 5}],
    ids=["unknown_status", "empty", "bad_reasons", "wrong_type"],
)
def test_transition_bad_payload_is_400(payload, api, manager, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    response = api(manager).post(
        reverse("filing-transition", args=[filing.pk]), payload, format="json"
    )
    assert response.status_code == 400


def test_number_parse_ok_and_400(api, db):
    ok = api().post(reverse("number-parse"), {"text": "沪ICP备13002172号-3"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["province_code"] == "310000"
    assert ok.json()["service_seq"] == 3
    bad = api().post(reverse("number-parse"), {"text": "萌ICP备22010101号"}, format="json")
    assert bad.status_code == 400
    assert "萌" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"uscc": "91110108551385082A"}, "uscc"),
        ({"uscc": ""}, "uscc"),
        ({"province": "999999"}, "province"),
        ({"entity_type": "99"}, "entity_type"),
        ({"entity_number": "萌ICP备22010101号"}, "entity_number"),
        ({"name_zh": ""}, "name_zh"),
    ],
    ids=["checksum", "missing_uscc", "province", "entity_type", "entity_number", "name"],
)
def test_operator_create_invalid_is_400_with_field(payload, field, api, manager, org):
    data = {
        "organization": org.pk,
        "name_zh": "深圳市新公司有限公司",
        "entity_type": "4",
        "uscc": "91110108551385082Q",
        "province": "440000",
        **payload,
    }
    response = api(manager).post(reverse("operator-list"), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_operator_create_ok_and_duplicate_uscc_400(api, manager, org):
    data = {
        "organization": org.pk,
        "name_zh": "小米科技有限责任公司",
        "entity_type": "4",
        "uscc": "91110108551385082q",
        "province": "110000",
    }
    first = api(manager).post(reverse("operator-list"), data, format="json")
    assert first.status_code == 201
    assert first.json()["uscc"] == "91110108551385082Q"
    assert first.json()["authority"] == "北京市通信管理局"
    second = api(manager).post(reverse("operator-list"), data, format="json")
    assert second.status_code == 400


def test_viewer_cannot_create_operator(api, viewer, org):
    response = api(viewer).post(
        reverse("operator-list"),
        {
            "organization": org.pk,
            "name_zh": "某公司",
            "uscc": "91110108551385082Q",
            "province": "110000",
        },
        format="json",
    )
    assert response.status_code == 403


def test_domain_idn_and_unknown_tld_flagged(api, manager, operator):
    c = api(manager)
    idn = c.post(
        reverse("domain-list"), {"operator": operator.pk, "name": "例子.中国"}, format="json"
    )
    assert idn.status_code == 201
    assert idn.json()["name"] == "xn--fsqu00a.xn--fiqs8s"
    assert idn.json()["display_name"] == "例子.中国"
    assert idn.json()["tld_status"] == "approved"
    odd = c.post(
        reverse("domain-list"), {"operator": operator.pk, "name": "shop.travel"}, format="json"
    )
    assert odd.status_code == 201
    assert odd.json()["tld_status"] == "unknown"
    # unknown TLDs still appear in lists (LEFT JOIN on the TLD table)
    listed = {d["name"]: d["tld_status"] for d in c.get(reverse("domain-list")).json()["results"]}
    assert listed == {"xn--fsqu00a.xn--fiqs8s": "approved", "shop.travel": "unknown"}


def test_miniprogram_bad_appid_400(api, manager, operator):
    response = api(manager).post(
        reverse("miniprogram-list"),
        {"operator": operator.pk, "name": "测试", "platform": "wechat", "appid": "wx12"},
        format="json",
    )
    assert response.status_code == 400
    assert "16 hexadecimal" in response.json()["appid"][0]


def test_list_filter_search_ordering_pagination(api, manager, operator):
    for i in range(3):
        MiniProgramFactory(operator=operator, name=f"应用{i}")
    c = api(manager)
    page = c.get(reverse("miniprogram-list"), {"search": "应用1"}).json()
    assert [r["name"] for r in page["results"]] == ["应用1"]
    ordered = c.get(reverse("miniprogram-list"), {"ordering": "-name"}).json()
    assert [r["name"] for r in ordered["results"]] == ["应用2", "应用1", "应用0"]
    assert ordered["count"] == 3


def test_schema_and_docs_served_without_cdn(client, manager):
    client.force_login(manager)  # signed-in users only (tests/api/test_docs_access.py)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/filings/{id}/transition/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "//unpkg" not in html
    assert "jsdelivr" not in html
