"""Import columns: sheets, their bilingual headings and the choice vocabularies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniprograms.models import (
    EntityType,
    IdType,
    Lifecycle,
    PersonRole,
    Platform,
    RealNameStatus,
    ServiceKind,
)

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Col:
    key: str
    en: str
    zh: str
    required: bool = False
    kind: str = "text"  # text | date | choice | province | operator
    choices: dict[str, str] | None = None  # alias (casefolded) -> value
    hint: str | Promise = ""  # prose is translated (lazy); value lists stay bilingual


def _choices(model_choices, extra: dict[str, str]) -> dict[str, str]:
    table = {}
    for value, label in model_choices.choices:
        table[str(value).casefold()] = value
        table[str(label).casefold()] = value
    table.update({k.casefold(): v for k, v in extra.items()})
    return table


ENTITY_TYPES = _choices(
    EntityType,
    {
        "企业": "4",
        "个人": "5",
        "政府机关": "2",
        "事业单位": "3",
        "社会团体": "6",
        "民办非企业单位": "7",
        "基金会": "8",
        "律师执业机构": "9",
    },
)
ROLES = _choices(
    PersonRole, {"主体负责人": "entity", "服务负责人": "service", "网站负责人": "service"}
)
ID_TYPES = _choices(
    IdType,
    {
        "身份证": "resident_id",
        "居民身份证": "resident_id",
        "护照": "passport",
        "港澳居民来往内地通行证": "hk_macao_permit",
        "台湾居民来往大陆通行证": "taiwan_permit",
        "外国人永久居留身份证": "foreigner_permit",
    },
)
KINDS = _choices(ServiceKind, {"小程序": "miniprogram", "快应用": "quickapp"})
PLATFORMS = _choices(
    Platform,
    {
        "微信": "wechat",
        "支付宝": "alipay",
        "抖音": "douyin",
        "百度": "baidu",
        "应用商店": "app_store",
        "快应用联盟": "quick_app",
        "其他": "other",
    },
)
LIFECYCLES = _choices(
    Lifecycle, {"开发中": "in_development", "已上线": "live", "上线": "live", "已下架": "delisted"}
)
REAL_NAME = _choices(
    RealNameStatus,
    {"未实名": "unverified", "审核中": "pending", "已实名": "verified", "实名失败": "failed"},
)

OPERATOR_REF = Col(
    "operator", "Operator (USCC or name)", "主办单位（信用代码或名称）", True, "operator"
)

SHEETS: dict[str, dict] = {
    "operators": {
        "en": "Operators",
        "zh": "主办单位",
        "cols": [
            Col("name_zh", "Legal name (Chinese)", "主办单位名称", True),
            Col("name_en", "English name", "英文名称"),
            Col(
                "entity_type",
                "Entity type",
                "主体性质",
                kind="choice",
                choices=ENTITY_TYPES,
                hint="Enterprise / 企业, Individual / 个人, …",
            ),
            Col("uscc", "USCC", "统一社会信用代码", hint=_("18 characters; empty for individuals")),
            Col(
                "province",
                "Province",
                "省份",
                True,
                "province",
                hint=_("440000, 广东省, 广东, 粤 or Guangdong"),
            ),
            Col("address", "Address", "通信地址"),
            Col("entity_number", "Entity filing number", "主体备案号", hint="粤ICP备2024286477号"),
        ],
    },
    "miniprograms": {
        "en": "Mini-programs and apps",
        "zh": "小程序和App",
        "cols": [
            OPERATOR_REF,
            Col("name", "Name", "名称", True),
            Col(
                "kind",
                "Kind",
                "类型",
                kind="choice",
                choices=KINDS,
                hint="miniprogram / 小程序, app / App, quickapp / 快应用",
            ),
            Col(
                "platform",
                "Platform",
                "平台",
                True,
                "choice",
                PLATFORMS,
                hint="wechat / 微信, alipay / 支付宝, douyin / 抖音, baidu / 百度, qq, …",
            ),
            Col("appid", "AppID", "AppID", True),
            Col("launch_date", "Launch date", "上线日期", kind="date", hint="YYYY-MM-DD"),
            Col(
                "lifecycle",
                "Lifecycle",
                "状态",
                kind="choice",
                choices=LIFECYCLES,
                hint="in_development / 开发中, live / 已上线, delisted / 已下架",
            ),
            Col("content_category", "Content category", "服务内容类别"),
            Col("icp_number", "Filing number", "备案号", hint="粤ICP备2024286477号-2X"),
        ],
    },
    "domains": {
        "en": "Domains",
        "zh": "域名",
        "cols": [
            OPERATOR_REF,
            Col("name", "Domain", "域名", True),
            Col("site_name", "Site name", "网站名称"),
            Col("registrar", "Registrar", "注册商"),
            Col(
                "real_name_status",
                "Real-name verification",
                "实名认证",
                kind="choice",
                choices=REAL_NAME,
                hint="verified / 已实名, pending / 审核中, …",
            ),
            Col("registrant_name", "Registrant", "域名持有者"),
            Col("expires_on", "Expires on", "到期日", kind="date", hint="YYYY-MM-DD"),
            Col("live_since", "Live since", "开通日期", kind="date", hint="YYYY-MM-DD"),
            Col("icp_number", "Filing number", "备案号", hint="粤ICP备2024286477号-1"),
        ],
    },
    "persons": {
        "en": "Responsible persons",
        "zh": "负责人",
        "cols": [
            OPERATOR_REF,
            Col(
                "role",
                "Role",
                "角色",
                True,
                "choice",
                ROLES,
                hint="entity / 主体负责人, service / 服务负责人",
            ),
            Col("name", "Name", "姓名", True),
            Col(
                "id_type",
                "ID type",
                "证件类型",
                kind="choice",
                choices=ID_TYPES,
                hint="resident_id / 居民身份证, passport / 护照, …",
            ),
            Col("id_number", "ID number", "证件号码", True),
            Col(
                "id_expires_on",
                "ID valid until",
                "证件有效期至",
                kind="date",
                hint=_("YYYY-MM-DD, empty or 长期 for long-term"),
            ),
            Col("mobile", "Mobile", "手机号码", True),
            Col("email", "Email", "电子邮箱"),
            Col("emergency_contact", "Emergency contact", "应急联系方式"),
            Col(
                "service",
                "Service (AppID or domain)",
                "服务（AppID或域名）",
                hint=_("for a service responsible person"),
            ),
        ],
    },
}
# Operators first: the other sheets refer to them; persons last: they may refer to services.
ORDER = ("operators", "miniprograms", "domains", "persons")


def _fold(text: str) -> str:
    return re.sub(r"[\s*＊_\-/（）()]+", "", str(text or "")).casefold()


def _sheet_aliases() -> dict[str, str]:
    table = {}
    for key, sheet in SHEETS.items():
        for alias in (key, sheet["en"], sheet["zh"]):
            table[_fold(alias)] = key
    table[_fold("persons")] = "persons"
    table[_fold("people")] = "persons"
    table[_fold("小程序")] = "miniprograms"
    return table


def _header_aliases(sheet_key: str) -> dict[str, str]:
    return {
        _fold(alias): col.key
        for col in SHEETS[sheet_key]["cols"]
        for alias in (col.key, col.en, col.zh)
    }
