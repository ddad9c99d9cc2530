"""The columns of the table exports, read as plain values of the rows (`values_list`).

Each column names the paths it reads and how the cell is made of them; choice fields show
their label, translated once per export. The properties the pages use
(`Domain.display_name`, `FilingApplication.subject_name`, the masked ID number) are
computed here from the same values, so the cells are the same as the pages'.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pii
from icp.identifiers import domain_display


@dataclass(frozen=True)
class Field:
    """A column read from the table: the `paths` values of a row, through `cell` if given.

    `choice=True` shows the label of a choice field's value, like `get_FOO_display()`; the
    labels are translated once per export (see `Field.converter`), not once per cell.
    `local_time=True` shows a timestamp in the active time zone, to the second.
    """

    key: str
    label: object  # lazy translation
    paths: tuple[str, ...]
    cell: Callable[..., object] | None = None
    choice: bool = False
    local_time: bool = False

    def converter(self, model: type[models.Model]) -> Callable[..., object] | None:
        """What turns the values of `paths` into the cell (None: the single value as is)."""
        if self.local_time:
            return _local_time(timezone.get_current_timezone())
        if not self.choice:
            return self.cell
        field = model._meta.get_field(self.paths[0])
        assert isinstance(field, models.Field)  # noqa: S101 - a choice column names a field
        labels = {value: str(label) for value, label in field.flatchoices}

        def label_of(value):
            return str(labels.get(value, value))

        return label_of


def _local_time(tz: datetime.tzinfo) -> Callable[[object], object]:
    """timezone.localtime() with the zone looked up once, without microseconds or zone."""

    def local(value):
        if isinstance(value, datetime.datetime):
            return value.astimezone(tz).replace(tzinfo=None, microsecond=0)
        return value

    return local


def f(key: str, label: object, *paths: str, cell=None) -> Field:
    return Field(key, label, paths or (key,), cell)


def timestamp(key: str, label: object) -> Field:
    return Field(key, label, (key,), local_time=True)


def choice(key: str, label: object, path: str = "") -> Field:
    return Field(key, label, (path or key,), choice=True)


def operator_columns(reveal: bool) -> list[Field]:
    return [
        f("id", _("ID"), "pk"),
        f("organization", _("Organization"), "organization__name"),
        f("name_zh", _("Legal name (Chinese)")),
        f("name_en", _("English name")),
        choice("entity_type", _("Entity type")),
        f("uscc", _("Unified Social Credit Code")),
        f("province", _("Province code"), "province_id"),
        f("province_name", _("Province"), "province__name_zh"),
        f("address", _("Address")),
        f("entity_number", _("Entity filing number")),
        timestamp("created_at", _("Created")),
    ]


def miniprogram_columns(reveal: bool) -> list[Field]:
    return [
        f("id", _("ID"), "pk"),
        f("operator", _("Operator"), "operator__name_zh"),
        f("operator_uscc", _("Operator USCC"), "operator__uscc"),
        f("name", _("Name")),
        choice("kind", _("Kind")),
        choice("platform", _("Platform")),
        f("appid", _("AppID")),
        f("launch_date", _("Launch date")),
        choice("lifecycle", _("Lifecycle")),
        f("content_category", _("Content category")),
        f("icp_number", _("Filing number")),
    ]


def _registrant_differs(registrant: str, operator_name: str) -> bool:
    return bool(registrant) and registrant != operator_name  # Domain.registrant_mismatch


def domain_columns(reveal: bool) -> list[Field]:
    return [
        f("id", _("ID"), "pk"),
        f("operator", _("Operator"), "operator__name_zh"),
        f("operator_uscc", _("Operator USCC"), "operator__uscc"),
        f("domain", _("Domain"), "name", cell=domain_display),
        f("name", _("Domain (ASCII)")),
        f("site_name", _("Site name")),
        f("registrar", _("Registrar")),
        choice("real_name_status", _("Real-name verification")),
        f("registrant_name", _("Registrant")),
        f(
            "registrant_mismatch",
            _("Registrant differs"),
            "registrant_name",
            "operator__name_zh",
            cell=_registrant_differs,
        ),
        f("expires_on", _("Expires on")),
        f("icp_number", _("Filing number")),
        f("psb_number", _("Public-security filing number")),
    ]


def _subject(miniprogram_id, miniprogram_name, domain_id, domain_name, operator_name) -> str:
    """FilingApplication.subject_name from the row's values."""
    if miniprogram_id is not None:
        return miniprogram_name
    if domain_id is not None:
        return domain_display(domain_name)
    return operator_name


def filing_columns(reveal: bool) -> list[Field]:
    subject = ("miniprogram_id", "miniprogram__name", "domain_id", "domain__name",
               "operator__name_zh")  # fmt: skip
    return [
        f("id", _("ID"), "pk"),
        f("operator", _("Operator"), "operator__name_zh"),
        f("province", _("Province"), "operator__province__name_zh"),
        f("subject", _("Subject"), *subject, cell=_subject),
        choice("kind", _("Kind")),
        choice("channel", _("Channel")),
        choice("status", _("Status")),
        timestamp("status_entered_at", _("In this status since")),
        f("icp_number", _("Filing number")),
        f("reference", _("Provider's order number")),
        timestamp("created_at", _("Created")),
    ]


def _masked_id_number(token: str) -> str:
    return pii.mask_id_number(pii.decrypt(token))


def person_columns(reveal: bool) -> list[Field]:
    if reveal:
        id_number, mobile = pii.decrypt, None
    else:
        id_number, mobile = _masked_id_number, pii.mask_phone
    return [
        f("id", _("ID"), "pk"),
        f("operator", _("Operator"), "operator__name_zh"),
        choice("role", _("Role")),
        f("name", _("Name")),
        choice("id_type", _("ID type")),
        f("id_number", _("ID number"), "id_number_encrypted", cell=id_number),
        f("id_expires_on", _("ID valid until")),
        f("mobile", _("Mobile"), cell=mobile),
        f("email", _("Email")),
    ]
