"""Shapes of domain.md §1.4 that §1.2 misses: 合字 licences, dotted class lists, future serial
years, labels in a single-number field. No database needed."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from icp.numbers import ICP_QUERY_URL, NumberError, NumberFamily, ServiceType, parse_number

TODAY = datetime.date(2026, 12, 3)

# (text, entity_number, normalized, classes, service_seq, service_type)
FOREIGN = [
    ("合字B2-20090007", "合字B2-20090007", "合字B2-20090007", ("B2",), None, ServiceType.ENTITY),
    ("合字B2-20180017", "合字B2-20180017", "合字B2-20180017", ("B2",), None, ServiceType.ENTITY),
    (
        "合字A1.B1.B2-20180017",
        "合字A1.B1.B2-20180017",
        "合字A1.B1.B2-20180017",
        ("A1", "B1", "B2"),
        None,
        ServiceType.ENTITY,
    ),
    ("合字B2-20090007-3", "合字B2-20090007", "合字B2-20090007-3", ("B2",), 3, ServiceType.WEBSITE),
    (
        "合字B2-20090007号-12X",
        "合字B2-20090007",
        "合字B2-20090007-12X",
        ("B2",),
        12,
        ServiceType.MINIPROGRAM,
    ),
    ("合字 B2－20090007", "合字B2-20090007", "合字B2-20090007", ("B2",), None, ServiceType.ENTITY),
]


@pytest.mark.parametrize(
    ("text", "entity", "normalized", "classes", "seq", "service_type"),
    FOREIGN,
    ids=[row[0] for row in FOREIGN],
)
def test_foreign_invested_licences_have_no_province(
    text, entity, normalized, classes, seq, service_type
):
    parsed = parse_number(text)
    assert parsed.family == NumberFamily.B_LICENCE
    assert parsed.foreign_invested is True
    assert parsed.province_code is None
    assert parsed.province_char is None
    assert parsed.province is None
    assert parsed.entity_number == entity
    assert parsed.normalized == normalized
    assert parsed.licence_classes == classes
    assert parsed.service_seq == seq
    assert parsed.service_type == service_type
    # 合字 is the prefix these licences are meant to carry: nothing to review.
    assert not parsed.needs_review
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    "text",
    [
        "粤B2-20090059",
        "B2-20080101",
        "京ICP备11041704号",
        "京ICP证030173号",
        "京公网安备11010802020088号",
    ],
)
def test_other_numbers_are_not_foreign_invested(text):
    assert parse_number(text).foreign_invested is False


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("合B2-20090007", "unknown_province", "合字B2-20090007"),
        ("粤合字B2-20090007", "unknown_province", "合字 alone"),
        ("合字ICP备11041704号", "unknown_province", "'合字'"),
        ("合字B3-20090007", "unknown_licence_class", "B3"),
        ("合字B2-2009007", "serial_length", "8 digits"),
        ("合字D3-20210002", "unknown_licence_class", "D3"),
    ],
    ids=["half-prefix", "province-and-hezi", "hezi-filing", "bad-class", "short-serial", "d3"],
)
def test_foreign_invested_look_alikes_are_rejected(text, code, fragment):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text, lenient=True)
    assert excinfo.value.code == code
    assert fragment in excinfo.value.message


@pytest.mark.parametrize(
    ("text", "licence_class", "classes", "province_code"),
    [
        ("A2.B1.B2-20202637", "A2.B1.B2", ("A2", "B1", "B2"), None),
        ("合字A1.B1.B2-20180017", "A1.B1.B2", ("A1", "B1", "B2"), None),
        ("皖B1.B2-20070020", "B1.B2", ("B1", "B2"), "340000"),
        ("粤B2.B1-20090059", "B2.B1", ("B2", "B1"), "440000"),
        ("粤B2.A2.B1.A1-20090059", "B2.A2.B1.A1", ("B2", "A2", "B1", "A1"), "440000"),
        ("粤A1-20200001", "A1", ("A1",), "440000"),
        ("粤A2-20044005号", "A2", ("A2",), "440000"),
        ("粤B2-20090059", "B2", ("B2",), "440000"),
        ("辽B-2-4-20080039", "B2", ("B2",), "210000"),
    ],
    ids=["A2.B1.B2", "hezi-A1.B1.B2", "B1.B2", "any-order", "all-four", "A1", "A2", "B2", "old"],
)
def test_licence_class_lists(text, licence_class, classes, province_code):
    parsed = parse_number(text)
    assert parsed.licence_class == licence_class
    assert parsed.licence_classes == classes
    assert parsed.province_code == province_code
    assert parsed.normalized.startswith(text.removesuffix("号").split("-")[0])


@pytest.mark.parametrize(
    "text",
    [
        "京ICP备11041704号",
        "京ICP证030173号",
        "京公网安备11010802020088号",
    ],
)
def test_numbers_other_than_b_licences_have_no_classes(text):
    parsed = parse_number(text)
    assert parsed.licence_classes == ()
    assert parsed.licence_class is None


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("粤B1.B3-20090059", "unknown_licence_class", "B3"),
        ("A2.B1.B2.C1-20202637", "unknown_licence_class", "C1"),
        ("粤B2.B2-20090059", "duplicate_licence_class", "B2.B2"),
        ("粤A1.B1.A1-20090059", "duplicate_licence_class", "twice"),
        ("A2..B1-20202637", "bad_format", "not a recognised number"),
        ("A2.B1.-20202637", "bad_format", "not a recognised number"),
        ("粤B12-20090059", "bad_format", "not a recognised number"),
    ],
    ids=["B3", "C1", "dup", "dup-apart", "double-dot", "trailing-dot", "B12"],
)
def test_bad_class_lists_are_rejected(text, code, fragment):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text)
    assert excinfo.value.code == code
    assert fragment in excinfo.value.message


@pytest.mark.parametrize(
    ("text", "today", "year", "review"),
    [
        ("京ICP备27041704号", TODAY, 2027, True),
        ("京ICP备26041704号", TODAY, 2026, False),
        ("京ICP备26041704号", datetime.date(2025, 12, 31), 2026, True),
        ("京ICP备26041704号-1", datetime.date(2026, 1, 1), 2026, False),
        ("京ICP备89000001号", TODAY, 2089, True),
        ("京ICP备99000001号", TODAY, 1999, False),
        ("京ICP备2027000001号", TODAY, 2027, True),
        ("京ICP备2026000001号", TODAY, 2026, False),
        ("粤B2-20270059", TODAY, 2027, True),
        ("粤B2-20260059", TODAY, 2026, False),
    ],
    ids=[
        "8-next-year",
        "8-this-year",
        "8-next-year-then",
        "8-new-year",
        "8-2089",
        "8-1999",
        "10-next-year",
        "10-this-year",
        "licence-next-year",
        "licence-this-year",
    ],
)
def test_serial_years_after_today_need_review(text, today, year, review):
    parsed = parse_number(text, today=today)
    assert parsed.year == year
    assert parsed.needs_review is review
    assert len(parsed.warnings) == (1 if review else 0)
    if review:
        assert str(year) in parsed.warnings[0]
        assert ICP_QUERY_URL in parsed.warnings[0]


def test_future_year_defaults_to_today_in_beijing():
    assert parse_number("京ICP备89000001号").needs_review
    assert not parse_number("京ICP备11041704号").needs_review


def test_future_year_is_a_review_not_a_rejection_in_strict_mode():
    parsed = parse_number("京ICP备27041704号-2X", today=TODAY)
    assert parsed.normalized == "京ICP备27041704号-2X"
    assert parsed.service_type == ServiceType.MINIPROGRAM


LABELLED = [
    ("ICP备案号：京ICP备11041704号", "ICP备案号：", "京ICP备11041704号"),
    ("网站备案号: 粤ICP备2024286477号-1", "网站备案号:", "粤ICP备2024286477号-1"),
    ("ICP备案号京ICP备11041704号", "ICP备案号", "京ICP备11041704号"),
    ("©2024 百度 京ICP证030173号", "©2024 百度", "京ICP证030173号"),
    ("增值电信业务经营许可证：合字B2-20090007", "增值电信业务经营许可证：", "合字B2-20090007"),
    ("公安备案号：京公网安备 11010802020088 号", "公安备案号：", "京公网安备11010802020088号"),
    ("© 京ICP证030173号", "©", "京ICP证030173号"),
]


@pytest.mark.parametrize(("text", "label", "number"), LABELLED, ids=[r[1] for r in LABELLED])
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_label_before_a_number_says_remove_the_label(text, label, number, lenient):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text, lenient=lenient)
    assert excinfo.value.code == "label"
    assert f"Remove the label '{label}'" in excinfo.value.message
    assert number in excinfo.value.message
    assert "province" not in excinfo.value.message


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("ICP备案号：", "ICP备案号"),
        ("ICP备案号：萌ICP备22010101号", "ICP备案号"),
        ("经营许可证编号", "经营许可证编号"),
    ],
    ids=["label-only", "label-and-bad-number", "licence-label"],
)
def test_label_without_a_number(text, label):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text)
    assert excinfo.value.code == "label"
    assert f"'{label}' is a label" in excinfo.value.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ICP备2024286477号", "missing_province"),
        ("ICP备案2024286477号", "missing_province"),
        ("公网安备11010802020088号", "missing_province"),
        ("X粤ICP备2024286477号", "unknown_province"),
    ],
    ids=["no-province", "beian-no-province", "psb-no-province", "glued-char"],
)
def test_number_without_a_label_keeps_its_own_error(text, code):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        " 粤ICP备2024286477号 ",
        "\u200b粤ICP备2024286477号",
        "：粤ICP备2024286477号",
        "\n粤ICP备2024286477号",
    ],
    ids=["spaces", "zero-width", "colon", "newline"],
)
def test_blank_prefix_is_not_a_label(text):
    assert parse_number(text).normalized == "粤ICP备2024286477号"


def test_several_numbers_in_one_field():
    with pytest.raises(NumberError) as excinfo:
        parse_number("京ICP备11041704号-1 | 京公网安备11010802020088号")
    assert excinfo.value.code == "several_numbers"
    assert "2 numbers" in excinfo.value.message
    assert "京ICP备11041704号-1, 京公网安备11010802020088号" in excinfo.value.message


def test_to_dict_carries_classes_and_foreign_invested():
    data = parse_number("合字A1.B1.B2-20180017-2A").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["licence_classes"] == ["A1", "B1", "B2"]
    assert data["foreign_invested"] is True
    assert data["province_code"] is None
    assert data["service_type"] == "app"
    assert parse_number("京ICP备11041704号").to_dict()["licence_classes"] == []


def test_kernel_imports_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys, icp.numbers, icp.number_search\n"
        "bad = [m for m in sys.modules if m.startswith('django.db') or m.startswith('django.conf')"
        " or m.split('.')[0] in ('accounts', 'filings', 'miniprograms', 'compliance')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
