from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import PermissionDeniedError
from documents.models import DocType, Document
from documents.services import MAX_UPLOAD_BYTES, document_delete, document_upload
from miniprograms.models import PreApproval
from tests.factories import DomainFactory, MiniProgramFactory

from .conftest import PNG

pytestmark = pytest.mark.django_db


def test_upload_stores_the_file_under_a_random_name(editor, operator, pdf):
    doc = document_upload(
        user=editor,
        operator=operator,
        doc_type=DocType.BUSINESS_LICENCE,
        file=pdf("张三 营业执照.pdf"),
    )

    doc.refresh_from_db()
    assert doc.organization_id == operator.organization_id
    assert doc.original_name == "张三 营业执照.pdf"
    assert doc.content_type == "application/pdf"
    assert doc.uploaded_by == editor
    assert doc.name == f"Business licence (营业执照) – {operator.name_zh}"
    assert "张三" not in doc.file.name
    assert doc.file.name.startswith(f"documents/{operator.organization_id}/{operator.pk}/")
    assert doc.file.name.endswith(".pdf")
    assert default_storage.exists(doc.file.name)


def test_png_is_accepted(editor, operator):
    file = SimpleUploadedFile("id.png", PNG, content_type="image/png")

    doc = document_upload(
        user=editor, operator=operator, doc_type=DocType.ENTITY_PERSON_ID, file=file
    )

    assert doc.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04", "Upload a PDF, JPG or PNG file (got “.docx”)."),
        ("noext", b"%PDF-1.4", "Upload a PDF, JPG or PNG file (got “—”)."),
        ("fake.pdf", b"<html>hi</html>", "The file content is not a real PDF file."),
        ("fake.jpg", b"%PDF-1.4", "The file content is not a real JPG file."),
        ("empty.pdf", b"", "The file is empty."),
    ],
    ids=[
        "wrong_extension_case",
        "no_extension_case",
        "html_as_pdf_case",
        "pdf_as_jpg_case",
        "empty_case",
    ],
)
def test_upload_refuses_wrong_types_with_a_clear_error(editor, operator, name, content, message):
    with pytest.raises(ValidationError) as exc:
        document_upload(
            user=editor,
            operator=operator,
            doc_type=DocType.OTHER,
            file=SimpleUploadedFile(name, content),
        )

    assert exc.value.message_dict == {"file": [message]}
    assert Document.objects.count() == 0


def test_upload_refuses_files_over_the_limit(editor, operator, pdf):
    big = pdf("big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024 - 5))

    with pytest.raises(ValidationError) as exc:
        document_upload(user=editor, operator=operator, doc_type=DocType.OTHER, file=big)

    assert exc.value.message_dict == {"file": ["The file is 6.0\xa0MB; the limit is 5.0\xa0MB."]}
    assert Document.objects.count() == 0


def test_one_byte_over_the_limit_is_refused_and_exactly_at_it_accepted(editor, operator, pdf):
    over = pdf("over.pdf", b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 4))
    with pytest.raises(ValidationError):
        document_upload(user=editor, operator=operator, doc_type=DocType.OTHER, file=over)
    assert Document.objects.count() == 0

    exact = pdf("exact.pdf", b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 5))

    doc = document_upload(user=editor, operator=operator, doc_type=DocType.OTHER, file=exact)

    assert doc.size == MAX_UPLOAD_BYTES


@pytest.mark.parametrize("role", ["viewer", "client_user"], ids=["viewer_case", "client_case"])
def test_read_only_users_cannot_upload(request, role, operator, pdf):
    user = request.getfixturevalue(role)

    with pytest.raises(PermissionDeniedError):
        document_upload(user=user, operator=operator, doc_type=DocType.OTHER, file=pdf())

    assert Document.objects.count() == 0


def test_other_organization_cannot_upload(other_manager, operator, pdf):
    with pytest.raises(PermissionDeniedError):
        document_upload(user=other_manager, operator=operator, doc_type=DocType.OTHER, file=pdf())

    assert Document.objects.count() == 0


def test_subject_must_belong_to_the_operator(editor, operator, other_operator, pdf):
    foreign_mp = MiniProgramFactory(operator=other_operator)

    with pytest.raises(ValidationError) as exc:
        document_upload(
            user=editor,
            operator=operator,
            doc_type=DocType.COMMITMENT_LETTER,
            miniprogram=foreign_mp,
            file=pdf(),
        )

    assert exc.value.message_dict == {"miniprogram": ["This belongs to another operator."]}
    assert Document.objects.count() == 0


def test_document_cannot_be_about_a_miniprogram_and_a_domain(editor, operator, pdf):
    mp = MiniProgramFactory(operator=operator)
    dom = DomainFactory(operator=operator)

    with pytest.raises(ValidationError) as exc:
        document_upload(
            user=editor,
            operator=operator,
            doc_type=DocType.COMMITMENT_LETTER,
            miniprogram=mp,
            domain=dom,
            file=pdf(),
        )

    assert exc.value.message_dict == {
        "domain": ["Attach the document to a mini-program or a domain, not both."]
    }
    assert Document.objects.count() == 0


def test_preapproval_licence_inherits_the_preapproval_expiry(editor, operator, pdf):
    pre = PreApproval.objects.create(
        organization=operator.organization,
        operator=operator,
        category="新闻",
        expires_on=datetime.date(2027, 3, 1),
    )

    doc = document_upload(
        user=editor,
        operator=operator,
        doc_type=DocType.PREAPPROVAL_LICENCE,
        preapproval=pre,
        file=pdf(),
    )

    assert doc.expires_on == datetime.date(2027, 3, 1)
    assert doc.name == f"Pre-approval licence (前置审批) – 新闻 – {operator.name_zh}"


def test_delete_removes_row_and_file_after_commit(
    editor, operator, pdf, django_capture_on_commit_callbacks
):
    doc = document_upload(user=editor, operator=operator, doc_type=DocType.OTHER, file=pdf())
    stored = doc.file.name

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(user=editor, document=doc)

    assert Document.objects.count() == 0
    assert not default_storage.exists(stored)


def test_viewer_cannot_delete(editor, viewer, operator, pdf):
    doc = document_upload(user=editor, operator=operator, doc_type=DocType.OTHER, file=pdf())

    with pytest.raises(PermissionDeniedError):
        document_delete(user=viewer, document=doc)

    assert Document.objects.filter(pk=doc.pk).exists()
    assert default_storage.exists(doc.file.name)
