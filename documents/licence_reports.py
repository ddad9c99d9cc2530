"""Licence annual reports: the year filed, with its receipt stored as a filing material."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator
from accounts.types import User
from miniprograms import services as register
from miniprograms.models import IcpLicence

from .models import DocType, LicenceAnnualReport
from .services import document_upload


@transaction.atomic
def annual_report_record(
    *,
    user: User,
    licence: IcpLicence,
    year: int,
    filed_on: datetime.date,
    receipt: UploadedFile | None,
    note: str = "",
) -> LicenceAnnualReport:
    """Record the annual report of `licence` for `year` with its receipt (PDF/JPG/PNG).

    The receipt goes through the document upload checks; the licence's last reported year
    moves forward, which closes an open `licence_annual_report` item. Raises
    ValidationError keyed by field (nothing is written then) and PermissionDeniedError for
    read-only users.
    """
    operator = licence.operator
    ensure_can_edit_operator(user, operator)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        register.check_report_year(licence, year, today=today)
    except ValidationError as e:
        errors.update(e.message_dict)
    if filed_on > today:
        errors["filed_on"] = [_("The filing date cannot be in the future.")]
    elif filed_on.year <= year:
        errors["filed_on"] = [_("The %(year)d report is filed in a later year.") % {"year": year}]
    if LicenceAnnualReport.objects.filter(licence=licence, year=year).exists():
        errors["year"] = [
            _("The %(year)d report of this licence is already recorded.") % {"year": year}
        ]
    if receipt is None:
        errors["receipt"] = [_("Attach the receipt of the annual report.")]
    if errors or receipt is None:
        raise ValidationError(errors)
    try:
        document = document_upload(
            user=user,
            operator=operator,
            doc_type=DocType.OTHER,
            file=receipt,
            name=_("Annual report %(year)d receipt – %(number)s")
            % {"year": year, "number": licence.number},
        )
    except ValidationError as e:
        # The upload's own errors are about its `file`: here that is the receipt.
        if hasattr(e, "error_dict") and "file" in e.error_dict:
            raise ValidationError({"receipt": e.error_dict["file"]}) from None
        raise
    report = LicenceAnnualReport(
        licence=licence,
        year=year,
        filed_on=filed_on,
        receipt=document,
        note=(note or "").strip(),
        recorded_by=user if user.is_authenticated else None,
    )
    report.full_clean()
    report.save()
    register.licence_annual_report_filed(user=user, licence=licence, year=year)
    return report
