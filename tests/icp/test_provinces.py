"""Provinces as people write them in a spreadsheet or a form."""

from __future__ import annotations

import pytest

from icp.provinces import PROVINCES, province_by_name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("440000", "440000"),
        ("广东省", "440000"),
        ("广东", "440000"),
        ("粤", "440000"),
        (" Guang dong ", "440000"),
        ("广西壮族自治区", "450000"),
        ("广西", "450000"),
        ("宁夏", "640000"),
        ("新疆", "650000"),
        ("内蒙古", "150000"),
        ("西藏", "540000"),
        ("北京", "110000"),
        ("蜀", "510000"),
    ],
)
def test_a_province_is_found_by_code_name_short_name_or_character(text, code):
    province = province_by_name(text)
    assert province is not None
    assert province.code == code


@pytest.mark.parametrize("text", ["", "广", "Canton", "999999"])
def test_anything_else_is_not_a_province(text):
    assert province_by_name(text) is None


def test_every_province_is_found_by_its_own_names():
    for p in PROVINCES:
        assert province_by_name(p.name_zh) is p
        assert province_by_name(p.name_en) is p
