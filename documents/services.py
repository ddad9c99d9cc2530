"""Writes of filing materials. Type and size are checked here, not only in the form."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator
from accounts.types import User
from core.filenames import redact_filename
from filings.models import FilingApplication
from miniprograms.models import Domain, MiniProgram, Operator, PreApproval

from .models import DocType, Document

MAX_UPLOAD_BYTES: int = settings.DOCUMENTS_MAX_UPLOAD_BYTES  # icpfiling/settings/documents.py

# Extension → (content type, magic bytes). The extension alone is not trusted: the first bytes
# must agree, so a renamed executable or HTML page is refused.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _check_file(file: UploadedFile) -> tuple[str, int]:
    """Returns the content type and the size in bytes (never 0).

    Raises ValidationError({"file": ...}) with a clear reason.
    """
    ext = PurePosixPath(file.name or "").suffix.lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": [_("Upload a PDF, JPG or PNG file (got “%(ext)s”).") % {"ext": ext or "—"}]}
        )
    if not file.size:
        raise ValidationError({"file": [_("The file is empty.")]})
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s; the limit is %(limit)s.")
                    % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
                ]
            }
        )
    content_type, magics = ALLOWED_TYPES[ext]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not head.startswith(magics):
        raise ValidationError(
            {"file": [_("The file content is not a real %(ext)s file.") % {"ext": ext[1:].upper()}]}
        )
    return content_type, file.size


def _check_subjects(
    *,
    operator: Operator,
    miniprogram: MiniProgram | None,
    domain: Domain | None,
    preapproval: PreApproval | None,
    filing: FilingApplication | None,
) -> None:
    errors: dict[str, list[str]] = {}
    other = _("This belongs to another operator.")
    for field, obj in (
        ("miniprogram", miniprogram),
        ("domain", domain),
        ("preapproval", preapproval),
        ("filing", filing),
    ):
        if obj is not None and obj.operator_id != operator.pk:
            errors[field] = [other]
    if miniprogram is not None and domain is not None:
        errors["domain"] = [_("Attach the document to a mini-program or a domain, not both.")]
    if errors:
        raise ValidationError(errors)


def _default_name(
    doc_type: str,
    operator: Operator,
    miniprogram: MiniProgram | None,
    domain: Domain | None,
    preapproval: PreApproval | None,
) -> str:
    label = str(DocType(doc_type).label)
    subject = (
        (miniprogram and miniprogram.name) or (domain and domain.display_name) or operator.name_zh
    )
    if preapproval is not None:
        label = f"{label} – {preapproval.category}"
    return f"{label} – {subject}"[:200]


@transaction.atomic
def document_upload(
    *,
    user: User,
    operator: Operator,
    doc_type: str,
    file: UploadedFile,
    miniprogram: MiniProgram | None = None,
    domain: Domain | None = None,
    preapproval: PreApproval | None = None,
    filing: FilingApplication | None = None,
    expires_on: datetime.date | None = None,
    name: str = "",
) -> Document:
    """Store one material for `operator` after the role, subject, type and size checks.

    Raises PermissionDeniedError for read-only users and ValidationError keyed by field.
    """
    ensure_can_edit_operator(user, operator)
    if doc_type not in DocType.values:
        raise ValidationError({"doc_type": [_("Choose a document type from the checklist.")]})
    _check_subjects(
        operator=operator,
        miniprogram=miniprogram,
        domain=domain,
        preapproval=preapproval,
        filing=filing,
    )
    content_type, size = _check_file(file)
    if expires_on is None and preapproval is not None:
        # The licence expires with the pre-approval unless the uploader says otherwise.
        expires_on = preapproval.expires_on
    doc = Document(
        organization_id=operator.organization_id,
        operator=operator,
        miniprogram=miniprogram,
        domain=domain,
        preapproval=preapproval,
        filing=filing,
        doc_type=doc_type,
        name=(name or "").strip()
        or _default_name(doc_type, operator, miniprogram, domain, preapproval),
        original_name=redact_filename(file.name or "")[:255],
        content_type=content_type,
        size=size,
        expires_on=expires_on,
        uploaded_by=user if user.is_authenticated else None,
        uploaded_at=timezone.now(),
    )
    doc.file.save(file.name, file, save=False)
    stored = doc.file.name
    try:
        doc.full_clean(exclude=["file"])
        doc.save()
    except Exception:
        doc.file.storage.delete(stored)
        raise
    return doc


@transaction.atomic
def document_delete(*, user: User, document: Document) -> None:
    """Delete the row now and the stored file once the transaction commits."""
    ensure_can_edit_operator(user, document.operator)
    storage, stored = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
