"""Demo constants and generators: valid USCCs and IDs, dates relative to today."""

from __future__ import annotations

import datetime

from django.utils import timezone
from stdnum.cn import ric, uscc

from filings.models import FilingStatus

DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - printed on purpose, demo data only
S = FilingStatus


def make_uscc(seed: int) -> str:
    body = f"91{440300 + seed % 100:06d}{seed:08d}"[:16] + "M"
    return body + uscc.calc_check_digit(body)


def make_ric(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def days_ahead(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# (key, name_zh, name_en, province, entity_number or "")
CLIENTS = [
    (
        "pengcheng",
        "深圳市鹏程网络科技有限公司",
        "Shenzhen Pengcheng Network Technology",
        "440000",
        "粤ICP备2024286477号",
    ),
    ("xihu", "杭州西湖数据有限公司", "Hangzhou Xihu Data", "330000", ""),
    (
        "changcheng",
        "北京长城教育咨询有限公司",
        "Beijing Changcheng Education Consulting",
        "110000",
        "",
    ),
    (
        "tianfu",
        "成都天府文旅发展有限公司",
        "Chengdu Tianfu Culture & Tourism",
        "510000",
        "蜀ICP备2023012345号",
    ),
    ("pujiang", "上海浦江物流有限公司", "Shanghai Pujiang Logistics", "310000", ""),
    ("jiangcheng", "武汉江城医药连锁有限公司", "Wuhan Jiangcheng Pharmacy Chain", "420000", ""),
]
