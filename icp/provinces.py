"""The 31 provincial-level divisions of mainland China as reference data (domain.md §2).

Pure data, no Django: codes are GB/T 2260, ``icp_chars[0]`` is the character MIIT uses in
filing numbers and the rest are aliases seen on real pages. Aliases live here, not in regexes,
so that a newly observed alias is a one-line data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name_zh: str
    name_en: str
    icp_chars: tuple[str, ...]
    authority_zh: str

    @property
    def icp_char(self) -> str:
        """The primary character used in filing numbers (e.g. 蜀 for Sichuan)."""
        return self.icp_chars[0]


def _p(code: str, name_zh: str, name_en: str, *icp_chars: str) -> Province:
    # Every regulator is "<full name>通信管理局" (陕西省通信管理局, 内蒙古自治区通信管理局).
    return Province(code, name_zh, name_en, tuple(icp_chars), f"{name_zh}通信管理局")


PROVINCES: tuple[Province, ...] = (
    _p("110000", "北京市", "Beijing", "京"),
    _p("120000", "天津市", "Tianjin", "津"),
    _p("130000", "河北省", "Hebei", "冀"),
    _p("140000", "山西省", "Shanxi", "晋"),
    _p("150000", "内蒙古自治区", "Inner Mongolia", "蒙"),
    _p("210000", "辽宁省", "Liaoning", "辽"),
    _p("220000", "吉林省", "Jilin", "吉"),
    _p("230000", "黑龙江省", "Heilongjiang", "黑"),
    _p("310000", "上海市", "Shanghai", "沪"),
    _p("320000", "江苏省", "Jiangsu", "苏"),
    _p("330000", "浙江省", "Zhejiang", "浙"),
    _p("340000", "安徽省", "Anhui", "皖"),
    _p("350000", "福建省", "Fujian", "闽"),
    _p("360000", "江西省", "Jiangxi", "赣"),
    _p("370000", "山东省", "Shandong", "鲁"),
    _p("410000", "河南省", "Henan", "豫"),
    _p("420000", "湖北省", "Hubei", "鄂"),
    _p("430000", "湖南省", "Hunan", "湘"),
    _p("440000", "广东省", "Guangdong", "粤"),
    _p("450000", "广西壮族自治区", "Guangxi", "桂"),
    _p("460000", "海南省", "Hainan", "琼"),
    _p("500000", "重庆市", "Chongqing", "渝"),
    _p("510000", "四川省", "Sichuan", "蜀", "川"),
    _p("520000", "贵州省", "Guizhou", "黔", "贵"),
    # 云 is rare on real pages and flagged as suspect in domain.md; numbers.py warns on it.
    _p("530000", "云南省", "Yunnan", "滇", "云"),
    _p("540000", "西藏自治区", "Tibet", "藏"),
    _p("610000", "陕西省", "Shaanxi", "陕"),
    _p("620000", "甘肃省", "Gansu", "陇", "甘"),
    _p("630000", "青海省", "Qinghai", "青"),
    _p("640000", "宁夏回族自治区", "Ningxia", "宁"),
    _p("650000", "新疆维吾尔自治区", "Xinjiang", "新"),
)

_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
_BY_CHAR: dict[str, Province] = {ch: p for p in PROVINCES for ch in p.icp_chars}

PROVINCE_CHOICES: list[tuple[str, str]] = [(p.code, p.name_zh) for p in PROVINCES]


def province_by_code(code: str) -> Province | None:
    """Look up a province by its six-digit code ("440000")."""
    return _BY_CODE.get(code)


# "广西壮族自治区" → "广西", "北京市" → "北京": the name people write in a spreadsheet.
_NAME_SUFFIXES = re.compile(r"(省|市|自治区|壮族|回族|维吾尔)+$")


def _name_key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


_BY_NAME: dict[str, Province] = {
    _name_key(name): p
    for p in PROVINCES
    for name in (p.code, p.name_zh, _NAME_SUFFIXES.sub("", p.name_zh), p.name_en, *p.icp_chars)
}


def province_by_name(text: str) -> Province | None:
    """Look up a province as people write it: code, full or short Chinese name, English name
    or filing character ("广东省", "广东", "guangdong", "粤", "440000"); spaces and case ignored."""
    return _BY_NAME.get(_name_key(text))


def province_by_char(ch: str) -> Province | None:
    """Look up a province by its filing character, resolving aliases (川 → Sichuan)."""
    return _BY_CHAR.get(ch)
