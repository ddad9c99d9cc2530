"""Evidence files (a provider's e-mail, a screenshot, a PDF): type and size checks shared by
the record history and the monitoring app. The file is stored under a random name in the
private media storage, like the filing documents; downloads check access and are audited.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.filenames import redact_filename

# Extension → (content type, accepted first bytes). The extension alone is not trusted.
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".eml": ("message/rfc822", ()),  # checked by its first header line instead
}
# An e-mail file starts with a header line ("Received: …", "From: …", "Return-Path: …").
_HEADER_RE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")


def check_evidence(file: UploadedFile) -> tuple[str, str]:
    """The content type and the redacted original name of an acceptable evidence file.

    Raises ValidationError({"evidence": ...}) with a clear reason.
    """
    name = redact_filename(file.name or "")
    ext = PurePosixPath(name).suffix.lower()
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence": [
                    _("Upload a PDF, JPG, PNG or EML file (got “%(ext)s”).") % {"ext": ext or "—"}
                ]
            }
        )
    limit = int(settings.DOCUMENTS_MAX_UPLOAD_BYTES)
    if not file.size:
        raise ValidationError({"evidence": [_("The file is empty.")]})
    if file.size > limit:
        raise ValidationError(
            {
                "evidence": [
                    _("The file is %(size)s; the limit is %(limit)s.")
                    % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
                ]
            }
        )
    content_type, magics = EVIDENCE_TYPES[ext]
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    ok = head.startswith(magics) if magics else bool(_HEADER_RE.match(head))
    if not ok:
        raise ValidationError(
            {
                "evidence": [
                    _("The file content is not a real %(ext)s file.") % {"ext": ext[1:].upper()}
                ]
            }
        )
    return content_type, name
