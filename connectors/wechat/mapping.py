"""WeChat's filing answers in our terms: `get_icp_entrance_info` (+ the online order for a
filed mini-program) → VendorFiling.

Pure apart from gettext: no calls, no database, so every status is tested without a fake.
`audit_data[].key_name` is the field's Chinese name as WeChat shows it (SKIT's model:
"字段中文名"); the names below are the ones of WeChat's filing form and of the materials keys
in channels.md. The exact strings WeChat sends are not published [U]: a name not listed is
kept as the reason's text under "other", never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from icp.review_fields import OTHER
from icp.vendor_states import NOT_FILED_REASONS, WECHAT_STATUS, wechat_target

from ..errors import VendorError
from ..models import LinkKind
from ..types import VendorFiling, VendorReason

# key_name → icp.review_fields key.
AUDIT_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        # entity (icp_subject)
        "主办单位名称": "operator_name",
        "主体名称": "operator_name",
        "单位名称": "operator_name",
        "主体性质": "entity_type",
        "证件类型": "uscc",
        "证件号码": "uscc",
        "主体证件号码": "uscc",
        "统一社会信用代码": "uscc",
        "通讯地址": "operator_address",
        "证件住所": "operator_address",
        "证件地址": "operator_address",
        "主体证件照片": "business_licence",
        "证件照片": "business_licence",
        "营业执照": "business_licence",
        "主体负责人": "entity_person",
        "主体负责人信息": "entity_person",
        "法人信息": "entity_person",
        "负责人证件正面": "id_card_front",
        "证件正面照片": "id_card_front",
        "负责人证件背面": "id_card_back",
        "证件背面照片": "id_card_back",
        "手机号码": "mobile",
        "负责人手机号码": "mobile",
        "应急联系方式": "mobile",
        "电子邮件": "email",
        "电子邮箱": "email",
        # mini-program (icp_applets)
        "小程序名称": "service_name",
        "服务名称": "service_name",
        "小程序负责人": "service_person",
        "小程序负责人信息": "service_person",
        "AppID": "appid",
        "appid": "appid",
        "服务内容类型": "content_category",
        "服务内容": "content_category",
        "前置审批": "preapproval",
        "前置审批项": "preapproval",
        "前置审批材料": "preapproval",
        # materials (channels.md keys and their names)
        "commitment_letter": "commitment_letter",
        "承诺书": "commitment_letter",
        "authenticity_commitment_letter": "commitment_letter",
        "authenticity_responsibility_letter": "commitment_letter",
        "真实性承诺书": "commitment_letter",
        "授权书": "authorisation_letter",
        "authorization_letter": "authorisation_letter",
        "subject_other_materials": "materials",
        "applets_other_materials": "materials",
        "其他材料": "materials",
        "补充材料": "materials",
    }
)

# The keys of the entrance info kept on the link for people to read (none is a secret).
RAW_KEYS = ("status", "sms_verify_status", "is_canceling", "available", "audit_data")


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def reason(item: dict[str, Any]) -> VendorReason:
    """One `audit_data` item: the field where one fits, else "other" with WeChat's name."""
    key_name = str(item.get("key_name") or "").strip()
    field = AUDIT_FIELDS.get(key_name, OTHER)
    return VendorReason(
        field=field,
        error=str(item.get("error") or "").strip(),
        suggestion=str(item.get("suggest") or "").strip(),
        field_text=key_name if field == OTHER else "",
    )


def needs_order(info: dict[str, Any]) -> bool:
    """Whether the number must be read from the online order (the mini-program is filed)."""
    return _int(info.get("status"), -1) == 6


def order_number(order: dict[str, Any]) -> tuple[str, str]:
    """(the mini-program's record number, its name) from `get_online_icp_order`."""
    applets = order.get("icp_applets") or {}
    base = (applets.get("base_info") or {}) if isinstance(applets, dict) else {}
    if not isinstance(base, dict):
        base = {}
    number = str(base.get("record_number") or "").strip()
    label = str(base.get("name") or base.get("service_name") or "").strip()
    return number, label


def filing(appid: str, info: dict[str, Any], order: dict[str, Any] | None = None) -> VendorFiling:
    """The VendorFiling of one mini-program; VendorError for a status WeChat does not
    document (reported on the run, nothing applied)."""
    status = _int(info.get("status"), -1)
    sms = _int(info.get("sms_verify_status"))
    if status not in WECHAT_STATUS and status not in NOT_FILED_REASONS:
        raise VendorError(
            _("WeChat reports filing status %(status)s, which is not documented.")
            % {"status": info.get("status")}
        )
    target = wechat_target(status, sms)
    items = info.get("audit_data") or []
    reasons = tuple(reason(i) for i in items if isinstance(i, dict))
    number, label = order_number(order or {})
    raw = {k: info[k] for k in RAW_KEYS if k in info}
    if number:
        raw["record_number"] = number
    return VendorFiling(
        kind=LinkKind.MINIPROGRAM,
        external_id=appid,
        label=label,
        target=target,
        vendor_status=f"status={status} sms_verify_status={sms}",
        reasons=reasons,
        number=number if status == 6 else "",
        canceling=bool(info.get("is_canceling")),
        not_filed_reason=f"status={status}" if target is None else "",
        raw=raw,
    )
