from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocType, Document
from documents.services import document_upload
from tests.factories import FilingFactory, MiniProgramFactory

from .conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(manager, operator, pdf):
    return document_upload(
        user=manager, operator=operator, doc_type=DocType.BUSINESS_LICENCE, file=pdf("执照.pdf")
    )


def test_checklist_page_lists_present_and_missing(client, manager, operator, doc):
    client.force_login(manager)

    resp = client.get(reverse("documents:checklist", args=[operator.pk]))

    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'data-status="present" data-doc-type="business_licence"' in html
    assert 'data-status="missing" data-doc-type="entity_person_id"' in html
    assert reverse("documents:download", args=[doc.pk]) in html


@pytest.mark.parametrize("name", ["checklist", "upload"], ids=["checklist_case", "upload_case"])
def test_other_organization_gets_404_for_operator_pages(client, other_manager, operator, name):
    client.force_login(other_manager)

    resp = client.get(reverse(f"documents:{name}", args=[operator.pk]))

    assert resp.status_code == 404


def test_download_returns_the_file_to_members(client, client_user, doc):
    client.force_login(client_user)

    resp = client.get(reverse("documents:download", args=[doc.pk]))

    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert "attachment" in resp["Content-Disposition"]
    assert b"".join(resp.streaming_content) == PDF


def test_download_is_404_for_another_organization_and_for_missing(client, other_manager, doc):
    client.force_login(other_manager)

    assert client.get(reverse("documents:download", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[doc.pk + 999])).status_code == 404


def test_anonymous_is_sent_to_login(client, doc):
    resp = client.get(reverse("documents:download", args=[doc.pk]))

    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("account_login"))


def test_upload_form_shows_the_type_error_inline(client, editor, operator):
    client.force_login(editor)

    resp = client.post(
        reverse("documents:upload", args=[operator.pk]),
        {"doc_type": DocType.OTHER, "file": SimpleUploadedFile("x.exe", b"MZ")},
    )

    assert resp.status_code == 400
    assert "Upload a PDF, JPG or PNG file (got “.exe”)." in resp.content.decode()
    assert Document.objects.count() == 0


def test_upload_form_saves_and_redirects(client, editor, operator):
    client.force_login(editor)

    resp = client.post(
        reverse("documents:upload", args=[operator.pk]),
        {
            "doc_type": DocType.ENTITY_PERSON_ID,
            "expires_on": "2030-01-31",
            "file": SimpleUploadedFile("id.pdf", PDF),
        },
    )

    assert resp.status_code == 302
    assert resp["Location"] == reverse("documents:checklist", args=[operator.pk])
    doc = Document.objects.get()
    assert (doc.doc_type, str(doc.expires_on), doc.uploaded_by) == (
        DocType.ENTITY_PERSON_ID,
        "2030-01-31",
        editor,
    )


def test_viewer_cannot_open_upload_nor_delete(client, viewer, operator, doc):
    client.force_login(viewer)

    assert client.get(reverse("documents:upload", args=[operator.pk])).status_code == 403
    assert client.post(reverse("documents:delete", args=[doc.pk])).status_code == 403
    assert Document.objects.filter(pk=doc.pk).exists()


def test_delete_needs_post_and_removes_the_document(client, manager, operator, doc):
    client.force_login(manager)

    assert client.get(reverse("documents:delete", args=[doc.pk])).status_code == 405
    resp = client.post(reverse("documents:delete", args=[doc.pk]))

    assert resp.status_code == 302
    assert not Document.objects.filter(pk=doc.pk).exists()


def test_register_pages_link_to_the_materials(client, manager, operator, doc):
    mp = MiniProgramFactory(operator=operator)
    attached = document_upload(
        user=manager,
        operator=operator,
        doc_type=DocType.COMMITMENT_LETTER,
        miniprogram=mp,
        file=SimpleUploadedFile("c.pdf", PDF),
    )
    client.force_login(manager)
    checklist = reverse("documents:checklist", args=[operator.pk])

    operator_page = client.get(reverse("dashboard:operator_detail", args=[operator.pk]))
    mp_page = client.get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))

    assert checklist in operator_page.content.decode()
    html = mp_page.content.decode()
    assert reverse("documents:download", args=[attached.pk]) in html
    assert reverse("documents:download", args=[doc.pk]) not in html


def test_a_document_can_be_attached_to_a_filing_from_its_page(client, editor, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    client.force_login(editor)

    page = client.get(reverse("dashboard:filing_detail", args=[filing.pk])).content.decode()
    upload_url = reverse("documents:upload", args=[operator.pk])
    assert f"{upload_url}?filing={filing.pk}&amp;miniprogram={filing.miniprogram_id}" in page

    resp = client.post(
        upload_url,
        {
            "doc_type": DocType.COMMITMENT_LETTER,
            "filing": filing.pk,
            "miniprogram": filing.miniprogram_id,
            "file": SimpleUploadedFile("letter.pdf", PDF),
        },
    )

    assert resp.status_code == 302
    doc = Document.objects.get()
    assert (doc.filing, doc.miniprogram_id) == (filing, filing.miniprogram_id)
    page = client.get(reverse("dashboard:filing_detail", args=[filing.pk])).content.decode()
    assert reverse("documents:download", args=[doc.pk]) in page


def test_another_operators_filing_is_not_a_choice(client, editor, operator, other_operator):
    foreign = FilingFactory(miniprogram=MiniProgramFactory(operator=other_operator))
    client.force_login(editor)

    resp = client.post(
        reverse("documents:upload", args=[operator.pk]),
        {
            "doc_type": DocType.OTHER,
            "filing": foreign.pk,
            "file": SimpleUploadedFile("x.pdf", PDF),
        },
    )

    assert resp.status_code == 400
    assert Document.objects.count() == 0
