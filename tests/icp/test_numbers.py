"""Number parsing against every real example of domain.md §1.3 and §2; no database needed."""

import json
import re
from typing import Any

import pytest

from icp.numbers import (
    ICP_QUERY_URL,
    NumberError,
    NumberFamily,
    ServiceType,
    check_for_service,
    normalize,
    parse_number,
)
from icp.provinces import (
    PROVINCE_CHOICES,
    PROVINCES,
    province_by_char,
    province_by_code,
)

F, L, B, P = (
    NumberFamily.FILING,
    NumberFamily.ICP_LICENCE,
    NumberFamily.B_LICENCE,
    NumberFamily.PSB,
)
E, W, A, X = ServiceType.ENTITY, ServiceType.WEBSITE, ServiceType.APP, ServiceType.MINIPROGRAM

# (text, family, province_code, entity_number, service_seq, service_type, year)
FILINGS = [
    ("京ICP备11041704号", F, "110000", "京ICP备11041704号", None, E, 2011),
    ("沪ICP备13002172号-3", F, "310000", "沪ICP备13002172号", 3, W, 2013),
    ("京ICP备13052560号-1", F, "110000", "京ICP备13052560号", 1, W, 2013),
    ("京ICP备05004340号-1", F, "110000", "京ICP备05004340号", 1, W, 2005),
    ("粤ICP备05008878号", F, "440000", "粤ICP备05008878号", None, E, 2005),
    ("滇ICP备12006807号-1", F, "530000", "滇ICP备12006807号", 1, W, 2012),
    ("蜀ICP备09001737号-1", F, "510000", "蜀ICP备09001737号", 1, W, 2009),
    ("藏ICP备05000064号", F, "540000", "藏ICP备05000064号", None, E, 2005),
    ("黔ICP备17003900号-1", F, "520000", "黔ICP备17003900号", 1, W, 2017),
    ("陇ICP备15000343号-1", F, "620000", "陇ICP备15000343号", 1, W, 2015),
    ("宁ICP备2024004868号-1", F, "640000", "宁ICP备2024004868号", 1, W, 2024),
    ("新ICP备2024015133号-4", F, "650000", "新ICP备2024015133号", 4, W, 2024),
]
APPS = [
    ("陕ICP备2024026116号-1A", F, "610000", "陕ICP备2024026116号", 1, A, 2024),
    ("鄂ICP备2024036893号-1A", F, "420000", "鄂ICP备2024036893号", 1, A, 2024),
    ("渝ICP备2025052772号-1A", F, "500000", "渝ICP备2025052772号", 1, A, 2025),
    ("苏ICP备2025175795号-1A", F, "320000", "苏ICP备2025175795号", 1, A, 2025),
    ("沪ICP备2025152989号-1A", F, "310000", "沪ICP备2025152989号", 1, A, 2025),
    ("琼ICP备2026012322号-2A", F, "460000", "琼ICP备2026012322号", 2, A, 2026),
]
MINIPROGRAMS = [
    ("津ICP备2024011617号-2X", F, "120000", "津ICP备2024011617号", 2, X, 2024),
    ("辽ICP备2024046252号-2X", F, "210000", "辽ICP备2024046252号", 2, X, 2024),
    ("闽ICP备2025100959号-2X", F, "350000", "闽ICP备2025100959号", 2, X, 2025),
    ("鲁ICP备2025137015号-2X", F, "370000", "鲁ICP备2025137015号", 2, X, 2025),
    ("粤ICP备2026067180号-1X", F, "440000", "粤ICP备2026067180号", 1, X, 2026),
    ("粤ICP备2026067180号-2X", F, "440000", "粤ICP备2026067180号", 2, X, 2026),
    ("粤B2-20090059-1626X", B, "440000", "粤B2-20090059", 1626, X, 2009),
]
LICENCES = [
    ("京ICP证030173号", L, "110000", "京ICP证030173号", None, E, None),
    ("京ICP证110745号", L, "110000", "京ICP证110745号", None, E, None),
    ("京ICP证070359号", L, "110000", "京ICP证070359号", None, E, None),
    ("京ICP证040655号", L, "110000", "京ICP证040655号", None, E, None),
    ("京ICP证000007号", L, "110000", "京ICP证000007号", None, E, None),
    ("京ICP证030173号-1", L, "110000", "京ICP证030173号", 1, W, None),
    ("粤B2-20090059", B, "440000", "粤B2-20090059", None, E, 2009),
    ("粤B2-20090059-5", B, "440000", "粤B2-20090059", 5, W, 2009),
    ("浙B2-20080224", B, "330000", "浙B2-20080224", None, E, 2008),
    ("浙B2-20080101", B, "330000", "浙B2-20080101", None, E, 2008),
    ("沪B2-20100043", B, "310000", "沪B2-20100043", None, E, 2010),
    ("皖B1.B2-20070020", B, "340000", "皖B1.B2-20070020", None, E, 2007),
    ("粤A2-20044005号", B, "440000", "粤A2-20044005", None, E, 2004),
    ("B2-20080101", B, None, "B2-20080101", None, E, 2008),
    ("辽B-2-4-20080039", B, "210000", "辽B-2-4-20080039", None, E, 2008),
]
PSB_NUMBERS = [
    ("京公网安备11000002000001号", P, "110000", "京公网安备11000002000001号", None, None, None),
    ("京公网安备 11010802020088 号", P, "110000", "京公网安备11010802020088号", None, None, None),
    ("京公网安备 11000002000088号", P, "110000", "京公网安备11000002000088号", None, None, None),
    ("京公网安备 11010202009201号", P, "110000", "京公网安备11010202009201号", None, None, None),
    ("京公网安备 11010802017518", P, "110000", "京公网安备11010802017518号", None, None, None),
    ("浙公网安备 33010602009975号", P, "330000", "浙公网安备33010602009975号", None, None, None),
    ("粤公网安备 44140202000117号", P, "440000", "粤公网安备44140202000117号", None, None, None),
    ("蜀公网安备51078202110037号", P, "510000", "蜀公网安备51078202110037号", None, None, None),
    ("贵公网安备52052302000396号", P, "520000", "贵公网安备52052302000396号", None, None, None),
    ("黔公网安备52011102000668号", P, "520000", "黔公网安备52011102000668号", None, None, None),
    ("宁公网安备64010602001086号", P, "640000", "宁公网安备64010602001086号", None, None, None),
    ("桂公网安备45010002451122号", P, "450000", "桂公网安备45010002451122号", None, None, None),
    ("贵公网安备52038202001416号", P, "520000", "贵公网安备52038202001416号", None, None, None),
]
ACCEPTED = FILINGS + APPS + MINIPROGRAMS + LICENCES + PSB_NUMBERS


@pytest.mark.parametrize(
    ("text", "family", "province_code", "entity_number", "seq", "service_type", "year"),
    ACCEPTED,
    ids=[row[0] for row in ACCEPTED],
)
def test_real_examples_parse_into_their_parts(
    text, family, province_code, entity_number, seq, service_type, year
):
    parsed = parse_number(text)
    assert parsed.family == family
    assert parsed.province_code == province_code
    assert parsed.entity_number == entity_number
    assert parsed.service_seq == seq
    assert parsed.service_type == service_type
    assert parsed.year == year
    assert parsed.province_char == (text[0] if province_code else None)
    assert parsed.normalized.startswith(entity_number.removesuffix("号"))


# domain.md §1.2 verbatim: our canonical output must be what the brief's regexes accept.
_P = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀黔贵滇云藏陕甘陇青宁新"
_SUF = r"(?:-(?P<seq>[1-9]\d{0,4})(?P<kind>[AXK])?)?"
DOMAIN_REGEXES = {
    F: rf"^(?P<prov>[{_P}])ICP备(?P<subject>\d{{6,10}})号{_SUF}$",
    L: rf"^(?P<prov>[{_P}])ICP证(?P<num>\d{{6}})号{_SUF}$",
    B: (
        rf"^(?P<prov>[{_P}])?(?P<cls>A2|B1\.B2|B2|B1)-"
        rf"(?P<year>(?:19|20)\d\d)(?P<serial>\d{{4}})号?{_SUF}$"
    ),
    P: rf"^(?P<prov>[{_P}])公网安备(?P<code>\d{{14}})号?$",
}
MODERN = [row for row in ACCEPTED if row[0] != "辽B-2-4-20080039"]


@pytest.mark.parametrize("row", MODERN, ids=[row[0] for row in MODERN])
def test_normalized_form_matches_domain_regex(row):
    parsed = parse_number(row[0])
    assert re.fullmatch(DOMAIN_REGEXES[parsed.family], parsed.normalized)


@pytest.mark.parametrize(
    ("text", "normalized", "entity_serial"),
    [
        ("沪ICP备13002172号-3", "沪ICP备13002172号-3", "13002172"),
        ("粤B2-20090059-1626X", "粤B2-20090059-1626X", "20090059"),
        ("粤A2-20044005号", "粤A2-20044005", "20044005"),
        ("京公网安备 11010802020088 号", "京公网安备11010802020088号", "11010802020088"),
        ("京ICP证030173号", "京ICP证030173号", "030173"),
    ],
    ids=["filing", "b-licence-service", "b-licence-hao", "psb-spaces", "icp-licence"],
)
def test_normalized_text_and_entity_serial(text, normalized, entity_serial):
    parsed = parse_number(text)
    assert parsed.normalized == normalized
    assert parsed.entity_serial == entity_serial
    assert not parsed.needs_review
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("text", "licence_class"),
    [
        ("粤B2-20090059", "B2"),
        ("皖B1.B2-20070020", "B1.B2"),
        ("粤A2-20044005号", "A2"),
        ("辽B-2-4-20080039", "B2"),
    ],
    ids=["B2", "B1.B2", "A2", "old-style"],
)
def test_licence_class(text, licence_class):
    assert parse_number(text).licence_class == licence_class


def test_licence_without_prefix_and_old_style_need_review():
    for text in ("B2-20080101", "辽B-2-4-20080039"):
        parsed = parse_number(text)
        assert parsed.needs_review
        assert len(parsed.warnings) == 1


REJECTED = [
    ("萌ICP备22010101号", "unknown_province", ["'萌' is not a province abbreviation", "粤"]),
    ("青ICP备案026000119号-2A", "wrong_keyword", ["'备', not '备案'"]),
    ("滇ICP备09010050-5号", "hao_misplaced", ["滇ICP备09010050号-5"]),
    ("川ICP备20151109-1", "missing_hao", ["'号'", "川ICP备20151109号-1"]),
    ("浙D3-20210002", "not_an_icp_number", ["registrar", "not an ICP number"]),
    ("京网文[2025]0422-132号", "not_an_icp_number", ["online culture", "not an ICP number"]),
    ("豫公网安备 44030402000001号", "psb_province_mismatch", ["广东省", "河南省", "豫"]),
    ("", "empty", ["empty"]),
    ("   ", "empty", ["empty"]),
    ("ICP备2024286477号", "missing_province", ["province"]),
    ("广东ICP备2024286477号", "unknown_province", ["For 广东省 use 粤"]),
    ("粤ICP备2024286477号-2B", "bad_suffix", ["'-2B'", "A (app)", "X (mini-program)"]),
    ("粤ICP备2024286477号-05", "bad_suffix", ["'-05'", "no leading zero"]),
    ("粤ICP备2024286477号-", "bad_suffix", ["1 to 99999"]),
    ("粤ICP备2024286477号-100000", "bad_suffix", ["1 to 99999"]),
    ("粤ICP备2024286477号-2AX", "bad_suffix", ["'-2AX'"]),
    ("粤ICP备20242864770号", "serial_length", ["11"]),
    ("粤ICP备12345号", "serial_length", ["5"]),
    ("京ICP证03017号", "serial_length", ["6 digits"]),
    ("粤B2-2009005", "serial_length", ["8 digits"]),
    ("京公网安备1101080202008号", "serial_length", ["14 digits"]),
    ("粤B3-20090059", "unknown_licence_class", ["B3"]),
    ("粤ICP2024286477号", "bad_format", ["'备'", "'证'"]),
    ("粤ICP备2024286477号号", "bad_format", ["Unexpected text"]),
    ("粤ICP备2024286477号-2A号", "bad_format", ["Unexpected text"]),
    ("hello world", "bad_format", ["粤ICP备2024286477号-1"]),
]


@pytest.mark.parametrize(
    ("text", "code", "fragments"),
    REJECTED,
    ids=[row[0].strip() or f"blank-{len(row[0])}" for row in REJECTED],
)
def test_rejections_have_code_and_actionable_message(text, code, fragments):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text)
    assert excinfo.value.code == code
    assert isinstance(excinfo.value, ValueError)
    assert str(excinfo.value) == excinfo.value.message
    for fragment in fragments:
        assert fragment in excinfo.value.message


@pytest.mark.parametrize(
    ("text", "normalized", "seq"),
    [
        ("滇ICP备09010050-5号", "滇ICP备09010050号-5", 5),
        ("川ICP备20151109-1", "川ICP备20151109号-1", 1),
        ("粤ICP备2024286477", "粤ICP备2024286477号", None),
    ],
    ids=["hao-after-suffix", "hao-missing-with-suffix", "hao-missing-entity"],
)
def test_lenient_accepts_malformed_real_forms_for_review(text, normalized, seq):
    with pytest.raises(NumberError):
        parse_number(text)
    parsed = parse_number(text, lenient=True)
    assert parsed.normalized == normalized
    assert parsed.service_seq == seq
    assert parsed.needs_review
    assert len(parsed.warnings) == 1
    assert normalized in parsed.warnings[0]


@pytest.mark.parametrize(
    "text",
    ["萌ICP备22010101号", "青ICP备案026000119号-2A", "浙D3-20210002", "豫公网安备44030402000001号"],
    ids=["moe", "beian", "registrar", "psb-mismatch"],
)
def test_lenient_still_rejects_real_errors(text):
    with pytest.raises(NumberError):
        parse_number(text, lenient=True)


def test_strict_parse_of_clean_number_needs_no_review():
    parsed = parse_number("沪ICP备13002172号-3", lenient=True)
    assert not parsed.needs_review
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("粤ＩＣＰ备２０２４２８６４７７号－２Ｘ", "粤ICP备2024286477号-2X"),
        ("粤ICP备2024286477号—2x", "粤ICP备2024286477号-2X"),
        ("粤ICP备2024286477号–2a", "粤ICP备2024286477号-2A"),
        ("粤ICP备2024286477号‐2k", "粤ICP备2024286477号-2K"),
        ("粤icp备 2024286477 号 - 2", "粤ICP备2024286477号-2"),
        ("ICP备案号：", "ICP备案号"),
        ("\u3000粤ICP备2024286477号\u200b", "粤ICP备2024286477号"),
    ],
    ids=["full-width", "em-dash", "en-dash", "hyphen", "spaces-lowercase", "colon", "odd-spaces"],
)
def test_normalize(text, normalized):
    assert normalize(text) == normalized


def test_full_width_input_parses():
    parsed = parse_number("粤ＩＣＰ备２０２４２８６４７７号－２Ｘ")
    assert parsed.normalized == "粤ICP备2024286477号-2X"
    assert parsed.province_code == "440000"
    assert parsed.service_seq == 2
    assert parsed.service_type == ServiceType.MINIPROGRAM
    assert parsed.year == 2024


@pytest.mark.parametrize(
    ("text", "province_code"),
    [
        ("川ICP备2024051114号", "510000"),
        ("蜀ICP备09001737号-1", "510000"),
        ("贵ICP备2021004806号-1", "520000"),
        ("黔ICP备17003900号-1", "520000"),
        ("甘ICP备16003251号-1", "620000"),
        ("陇ICP备15000343号-1", "620000"),
    ],
    ids=["川", "蜀", "贵", "黔", "甘", "陇"],
)
def test_aliases_resolve_to_canonical_province(text, province_code):
    parsed = parse_number(text)
    assert parsed.province_code == province_code
    assert parsed.province_char == text[0]
    assert parsed.normalized == text  # the character stays as written: it is part of the number
    assert not parsed.needs_review


def test_rare_yunnan_alias_is_flagged():
    parsed = parse_number("云ICP备12006807号-1")
    assert parsed.province_code == "530000"
    assert parsed.needs_review
    assert ICP_QUERY_URL in parsed.warnings[0]


# domain.md §2 example column, one per province (川ICP备2024051114 is shown there without 号).
PROVINCE_EXAMPLES = [
    ("110000", "京ICP备11041704号"),
    ("120000", "津ICP备2024011617号-2X"),
    ("130000", "冀ICP备2023005620号-4"),
    ("140000", "晋ICP备2024030642号-1"),
    ("150000", "蒙ICP备16004045号-1"),
    ("210000", "辽ICP备2024046252号-2X"),
    ("220000", "吉ICP备2022000349号-1"),
    ("230000", "黑ICP备2021003925号-1"),
    ("310000", "沪ICP备13002172号-3"),
    ("320000", "苏ICP备2025175795号-1A"),
    ("330000", "浙ICP备2021040518号"),
    ("340000", "皖ICP备2021002315号-2"),
    ("350000", "闽ICP备2025100959号-2X"),
    ("360000", "赣ICP备2021003257号-1"),
    ("370000", "鲁ICP备2025137015号-2X"),
    ("410000", "豫ICP备2023009283号-1"),
    ("420000", "鄂ICP备2024036893号-1A"),
    ("430000", "湘ICP备2021017124号-1"),
    ("440000", "粤ICP备05008878号"),
    ("450000", "桂ICP备2022009640号-2"),
    ("460000", "琼ICP备2026012322号-2A"),
    ("500000", "渝ICP备2025052772号-1A"),
    ("510000", "蜀ICP备09001737号-1"),
    ("520000", "贵ICP备2021004806号-1"),
    ("530000", "滇ICP备12006807号-1"),
    ("540000", "藏ICP备05000064号"),
    ("610000", "陕ICP备2024026116号-1A"),
    ("620000", "甘ICP备16003251号-1"),
    ("630000", "青ICP备18000982号-1"),
    ("640000", "宁ICP备2024004868号-1"),
    ("650000", "新ICP备2024015133号-4"),
]


@pytest.mark.parametrize(
    ("code", "text"), PROVINCE_EXAMPLES, ids=[row[1] for row in PROVINCE_EXAMPLES]
)
def test_province_table_examples(code, text):
    assert parse_number(text).province_code == code


def test_twenty_twenty_serials_in_both_shapes():
    assert parse_number("冀ICP备20003324号").year == 2020
    assert parse_number("皖ICP备2020014972号").year == 2020


def test_unusual_serial_length_is_accepted_for_review():
    parsed = parse_number("粤ICP备0123456号")
    assert parsed.year is None
    assert parsed.needs_review


def test_psb_and_icp_provinces_may_differ():
    assert parse_number("京ICP备18063315号-1").province_code == "110000"
    assert parse_number("贵公网安备52038202001416号").province_code == "520000"


def test_to_dict_is_json_ready():
    data = parse_number("粤B2-20090059-1626X").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["family"] == "b_licence"
    assert data["service_type"] == "miniprogram"
    assert data["licence_class"] == "B2"
    assert data["warnings"] == []
    assert parse_number("京公网安备11010802020088号").to_dict()["service_type"] is None


@pytest.mark.parametrize(
    ("text", "province_code", "service_type", "fragments"),
    [
        ("沪ICP备13002172号-3", "310000", ServiceType.WEBSITE, []),
        ("陕ICP备2024026116号-1A", "610000", ServiceType.APP, []),
        ("津ICP备2024011617号-2X", "120000", ServiceType.MINIPROGRAM, []),
        ("粤ICP备2024286477号-4K", "440000", ServiceType.QUICKAPP, []),
        ("粤B2-20090059-1626X", "440000", ServiceType.MINIPROGRAM, []),
        ("沪ICP备13002172号", "310000", ServiceType.ENTITY, []),
        ("川ICP备2024051114号-1", "510000", ServiceType.WEBSITE, []),
        ("B2-20080101-3", "110000", ServiceType.WEBSITE, []),
        ("沪ICP备13002172号-3", "440000", ServiceType.WEBSITE, [["上海市", "广东省"]]),
        ("沪ICP备13002172号-3", "310000", ServiceType.MINIPROGRAM, [["mini-program", "-NX"]]),
        ("津ICP备2024011617号-2X", "120000", ServiceType.APP, [["-2X", "an app", "-NA"]]),
        ("陕ICP备2024026116号-1A", "610000", ServiceType.WEBSITE, [["-1A", "a website", "-N"]]),
        ("粤ICP备2024286477号-2A", "440000", ServiceType.QUICKAPP, [["-NK"]]),
        ("沪ICP备13002172号", "310000", ServiceType.WEBSITE, [["entity number", "-N"]]),
        ("沪ICP备13002172号-3", "310000", ServiceType.ENTITY, [["沪ICP备13002172号."]]),
        (
            "京ICP证030173号-1",
            "440000",
            ServiceType.APP,
            [["北京市", "广东省"], ["-1", "-NA"]],
        ),
        ("京公网安备11010802020088号", "110000", ServiceType.WEBSITE, [["public-security"]]),
    ],
    ids=[
        "website-ok",
        "app-ok",
        "mini-ok",
        "quickapp-ok",
        "licence-mini-ok",
        "entity-ok",
        "alias-ok",
        "no-prefix-licence-ok",
        "province-mismatch",
        "website-for-mini",
        "mini-for-app",
        "app-for-website",
        "app-for-quickapp",
        "entity-for-website",
        "service-for-entity",
        "two-problems",
        "psb-for-icp",
    ],
)
def test_check_for_service(text, province_code, service_type, fragments):
    problems = check_for_service(
        parse_number(text), province_code=province_code, service_type=service_type
    )
    assert len(problems) == len(fragments)
    for problem, expected in zip(problems, fragments, strict=True):
        for fragment in expected:
            assert fragment in problem


def test_check_for_service_rejects_unknown_province_code():
    with pytest.raises(ValueError, match="999999"):
        check_for_service(
            parse_number("沪ICP备13002172号-3"),
            province_code="999999",
            service_type=ServiceType.WEBSITE,
        )


def test_province_reference_data():
    assert len(PROVINCES) == 31
    assert len({p.code for p in PROVINCES}) == 31
    assert len(PROVINCE_CHOICES) == 31
    assert ("440000", "广东省") in PROVINCE_CHOICES
    inner_mongolia, beijing = province_by_code("150000"), province_by_code("110000")
    assert inner_mongolia is not None
    assert inner_mongolia.authority_zh == "内蒙古自治区通信管理局"
    assert beijing is not None
    assert beijing.authority_zh == "北京市通信管理局"
    assert province_by_code("999999") is None
    assert province_by_char("川") is province_by_char("蜀")
    guizhou, gansu = province_by_char("贵"), province_by_char("甘")
    assert guizhou is not None
    assert guizhou.code == "520000"
    assert gansu is not None
    assert gansu.icp_chars == ("陇", "甘")
    assert province_by_char("萌") is None
    frozen: Any = beijing  # mypy rightly rejects the write; the test proves it fails at run time
    with pytest.raises(AttributeError):
        frozen.code = "x"
