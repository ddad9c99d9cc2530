"""find_numbers: every number inside free text, with its span and parse result (domain.md §1.4)."""

import datetime
import itertools
import json
from typing import Any

import pytest

from icp.number_search import FoundNumber, find_numbers
from icp.numbers import NumberFamily, ServiceType

TODAY = datetime.date(2026, 12, 3)


def _found(text: str, **kwargs) -> list[tuple[str, str | None, str | None]]:
    """(text as written, normalized or None, error code or None) per number found."""
    rows = []
    for f in find_numbers(text, **kwargs):
        assert text[f.start : f.end] == f.text
        assert f.span == (f.start, f.end)
        rows.append(
            (f.text, f.parsed.normalized if f.parsed else None, f.error.code if f.error else None)
        )
    return rows


def test_footer_with_filing_and_public_security_numbers():
    text = "©2024 某某公司 版权所有 ICP备案号：京ICP备11041704号-1 | 京公网安备 11010802020088 号"
    found = find_numbers(text)
    icp_at, psb_at = text.index("京ICP"), text.index("京公网")
    assert [f.span for f in found] == [(icp_at, icp_at + 16), (psb_at, len(text))]
    icp, psb = found
    assert icp.text == "京ICP备11041704号-1"
    assert icp.parsed is not None
    assert icp.parsed.family == NumberFamily.FILING
    assert icp.parsed.service_type == ServiceType.WEBSITE
    assert icp.error is None
    assert icp.ok
    assert psb.text == "京公网安备 11010802020088 号"
    assert psb.parsed is not None
    assert psb.parsed.family == NumberFamily.PSB
    assert psb.parsed.normalized == "京公网安备11010802020088号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICP备案号：京ICP备11041704号", [("京ICP备11041704号", "京ICP备11041704号", None)]),
        ("ICP备案号京ICP备11041704号", [("京ICP备11041704号", "京ICP备11041704号", None)]),
        ("©2024 百度 京ICP证030173号", [("京ICP证030173号", "京ICP证030173号", None)]),
        ("©2024百度京ICP证030173号-1", [("京ICP证030173号-1", "京ICP证030173号-1", None)]),
        ("经营许可证：粤B2-20090059号", [("粤B2-20090059号", "粤B2-20090059", None)]),
        ("增值电信业务经营许可证合字B2-20090007", [("合字B2-20090007", "合字B2-20090007", None)]),
        ("许可证A2.B1.B2-20202637。", [("A2.B1.B2-20202637", "A2.B1.B2-20202637", None)]),
        ("备案：沪ICP备13002172号-3。", [("沪ICP备13002172号-3", "沪ICP备13002172号-3", None)]),
    ],
    ids=[
        "colon-label",
        "glued-label",
        "copyright",
        "glued-copyright",
        "licence",
        "hezi",
        "classes",
        "sentence",
    ],
)
def test_labels_are_not_part_of_the_span(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "粤ＩＣＰ备 2024286477 号－2Ｘ",
            [("粤ＩＣＰ备 2024286477 号－2Ｘ", "粤ICP备2024286477号-2X", None)],
        ),
        ("粤icp备2024286477号—2a", [("粤icp备2024286477号—2a", "粤ICP备2024286477号-2A", None)]),
        (
            "京公网安备\n11010802020088号",
            [("京公网安备\n11010802020088号", "京公网安备11010802020088号", None)],
        ),
        ("京ICP备11041704号-1All rights", [("京ICP备11041704号-1", "京ICP备11041704号-1", None)]),
        ("京ICP备11041704号-1 All rights", [("京ICP备11041704号-1", "京ICP备11041704号-1", None)]),
        ("京ICP备11041704号 All rights", [("京ICP备11041704号", "京ICP备11041704号", None)]),
        ("蜀ICP备09001737号-1 川公网安备", [("蜀ICP备09001737号-1", "蜀ICP备09001737号-1", None)]),
    ],
    ids=[
        "full-width-spaces",
        "lowercase-dash",
        "newline",
        "glued-word",
        "word",
        "entity",
        "psb-stub",
    ],
)
def test_spans_fold_width_and_gaps_but_stop_at_words(text, expected):
    assert _found(text) == expected


def test_malformed_numbers_are_found_with_their_error():
    text = "陕ICP备12000810-2号 / 豫公网安备 44030402000001号 / 青ICP备案026000119号-2A"
    assert _found(text) == [
        ("陕ICP备12000810-2号", None, "hao_misplaced"),
        ("豫公网安备 44030402000001号", None, "psb_province_mismatch"),
        ("青ICP备案026000119号-2A", None, "wrong_keyword"),
    ]
    found = find_numbers(text)
    assert found[0].error is not None
    assert "陕ICP备12000810号-2" in found[0].error.message
    assert not found[0].ok


def test_lenient_search_accepts_misplaced_hao_for_review():
    found = find_numbers("陕ICP备12000810-2号", lenient=True)
    assert len(found) == 1
    assert found[0].parsed is not None
    assert found[0].parsed.normalized == "陕ICP备12000810号-2"
    assert found[0].parsed.needs_review


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Copyright 2024 Example Ltd. All rights reserved.",
        "浙D3-20210002 京网文[2025]0422-132号",
        "萌ICP备22010101号",
        "copyright2024B2-20080101",
        "型号AB2-20080101",
        "ICP备案号：",
        "粤B2-2009005",
    ],
    ids=[
        "empty",
        "english",
        "other-licences",
        "moe",
        "glued-digits",
        "glued-letter",
        "label",
        "short-licence",
    ],
)
def test_text_without_numbers(text):
    assert find_numbers(text) == []


def test_many_numbers_in_order_and_not_overlapping():
    text = (
        "京ICP证030173号 京ICP备03002601号-1 京公网安备11000002000001号\n"
        "合字B2-20090007 皖B1.B2-20070020 B2-20080101 辽B-2-4-20080039 粤B2-20090059-1626X"
    )
    found = find_numbers(text)
    assert [f.parsed.normalized for f in found if f.parsed] == [
        "京ICP证030173号",
        "京ICP备03002601号-1",
        "京公网安备11000002000001号",
        "合字B2-20090007",
        "皖B1.B2-20070020",
        "B2-20080101",
        "辽B-2-4-20080039",
        "粤B2-20090059-1626X",
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert found[3].parsed is not None
    assert found[3].parsed.foreign_invested
    assert found[4].parsed is not None
    assert found[4].parsed.licence_classes == ("B1", "B2")


@pytest.mark.parametrize(("today", "review"), [(TODAY, True), (datetime.date(2027, 1, 1), False)])
def test_today_is_passed_on(today, review):
    (found,) = find_numbers("备案号 京ICP备27041704号", today=today)
    assert found.parsed is not None
    assert found.parsed.needs_review is review


def test_to_dict_is_json_ready():
    found = find_numbers("ICP备案号：京ICP备11041704号-1 陕ICP备12000810-2号")
    data: list[dict[str, Any]] = [f.to_dict() for f in found]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data[0]["start"] == len("ICP备案号：")
    assert data[0]["end"] == len("ICP备案号：京ICP备11041704号-1")
    assert data[0]["parsed"]["normalized"] == "京ICP备11041704号-1"
    assert data[0]["error"] is None
    assert data[1]["parsed"] is None
    assert data[1]["error"]["code"] == "hao_misplaced"
    assert isinstance(found[0], FoundNumber)
