"""Mini-programs and apps: matched by platform + AppID."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from miniprograms import selectors as register
from miniprograms import services as register_services
from miniprograms.models import MiniProgram, Operator
from miniprograms.ownership import filter_by_organization
from miniprograms.validators import validate_appid

from ..cells import normalize_number
from ..reader import Table

if TYPE_CHECKING:
    from ..importer import Importer


def prepare(imp: Importer) -> None:
    imp.loaded.add("miniprograms")
    mps = filter_by_organization(register.miniprogram_list_for_user(user=imp.user), imp.org.pk)
    imp.mps = {(m.platform, m.appid): m for m in mps}
    imp.mp_by_operator = {(m.operator_id, m.appid): m for m in imp.mps.values()}


def apply(imp: Importer, table: Table, row: int, v: dict, seen: dict) -> None:
    op: Operator = v.pop("operator")
    try:
        appid = validate_appid(v["platform"], v["appid"])
    except ValidationError:
        appid = v["appid"]  # the service reports it
    if imp.duplicate(table, row, (v["platform"], appid), seen):
        return
    existing = imp.mps.get((v["platform"], appid))
    if existing is None:
        permitted = imp.allowed(table, row, op)
        build = register_services.miniprogram_build
        mp = imp.validate(
            table,
            row,
            lambda: build(operator=op, **v),
            shape=lambda: MiniProgram(organization_id=op.organization_id, operator=op, **v),
        )
        if mp is None or not permitted:
            imp.bad_services.update({appid, str(v["appid"])})
            return
        imp.mps[(mp.platform, mp.appid)] = mp
        imp.mp_by_operator[(op.pk, mp.appid)] = mp

        def failed() -> None:
            del imp.mps[(mp.platform, mp.appid)]
            del imp.mp_by_operator[(op.pk, mp.appid)]
            imp.bad_services.update({appid, str(v["appid"])})

        imp.batch.create(row, mp, failed)
        return
    if existing.operator_id != op.pk:
        imp.error(table, row, "appid", _("This AppID is registered to another operator."))
        return
    v["appid"] = appid
    if "icp_number" in v:
        v["icp_number"] = normalize_number(v["icp_number"])
    imp.update(table, row, existing, v, register_services.miniprogram_apply, operator=op)
