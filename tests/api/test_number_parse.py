"""POST /api/v1/numbers/parse/ shows the shapes of domain.md §1.4 and explains labels."""

from django.urls import reverse


def test_parse_foreign_invested_licence_with_class_list(api, db):
    response = api().post(
        reverse("number-parse"), {"text": "合字A1.B1.B2-20180017-2X"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["family"] == "b_licence"
    assert data["foreign_invested"] is True
    assert data["province_code"] is None
    assert data["province_char"] is None
    assert data["licence_class"] == "A1.B1.B2"
    assert data["licence_classes"] == ["A1", "B1", "B2"]
    assert data["entity_number"] == "合字A1.B1.B2-20180017"
    assert data["service_type"] == "miniprogram"
    assert data["needs_review"] is False


def test_parse_provincial_licence_is_not_foreign_invested(api, db):
    response = api().post(reverse("number-parse"), {"text": "皖B1.B2-20070020"}, format="json")
    assert response.status_code == 200
    assert response.json()["foreign_invested"] is False
    assert response.json()["licence_classes"] == ["B1", "B2"]
    assert response.json()["province_code"] == "340000"


def test_parse_label_is_400_with_label_code(api, db):
    response = api().post(
        reverse("number-parse"), {"text": "ICP备案号：京ICP备11041704号"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "label"
    assert "ICP备案号：" in response.json()["detail"]
    assert "京ICP备11041704号" in response.json()["detail"]


def test_parse_footer_with_two_numbers_is_400(api, db):
    response = api().post(
        reverse("number-parse"),
        {"text": "京ICP备11041704号 | 京公网安备11010802020088号"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "several_numbers"
