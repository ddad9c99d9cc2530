"""The number checker page shows licence classes, 合字 licences and label messages."""

from django.urls import reverse


def test_checker_shows_classes_and_foreign_invested(client_for, viewer):
    url = reverse("dashboard:number_checker")
    body = client_for(viewer).get(url, {"number": "合字A1.B1.B2-20180017"}).content.decode()
    assert 'data-testid="number-parts"' in body
    assert '<dd data-testid="licence-classes">A1, B1, B2</dd>' in body
    assert 'data-testid="foreign-invested"' in body
    assert "Foreign-invested" in body


def test_checker_provincial_licence_has_no_foreign_invested_row(client_for, viewer):
    url = reverse("dashboard:number_checker")
    body = client_for(viewer).get(url, {"number": "皖B1.B2-20070020"}).content.decode()
    assert '<dd data-testid="licence-classes">B1, B2</dd>' in body
    assert 'data-testid="foreign-invested"' not in body
    assert "安徽省" in body


def test_checker_says_remove_the_label(client_for, viewer):
    url = reverse("dashboard:number_checker")
    body = (
        client_for(viewer)
        .get(url, {"number": "ICP备案号：京ICP备11041704号"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'data-testid="number-error"' in body
    assert "Remove the label" in body
    assert "province" not in body
