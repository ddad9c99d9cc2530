"""Identifier rules of the kernel: each rejection says what is wrong, with a stable code."""

import pytest

from icp.identifiers import (
    IdentifierError,
    domain_display,
    normalize_domain,
    validate_appid,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)


@pytest.mark.parametrize(
    "code", ["91110108551385082Q", "91110000600037341L", "91110108 551385082q"]
)
def test_valid_uscc(code):
    assert validate_uscc(code) == code.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("91110108551385082A", "check character"),  # last char changed
        ("91110108551385O82Q", "never contains O"),  # letter O instead of zero
        ("9111010855138508", "has 18 characters; this one has 16"),
        ("", "has 18 characters; this one has 0"),
    ],
    ids=["checksum", "forbidden_letter", "short", "empty"],
)
def test_invalid_uscc_says_what_is_wrong(code, needle):
    with pytest.raises(IdentifierError) as exc:
        validate_uscc(code)
    assert needle in str(exc.value)


def test_uscc_checksum_message_names_the_expected_character():
    with pytest.raises(IdentifierError) as exc:
        validate_uscc("91110108551385082A")
    assert "expected Q" in str(exc.value)


def test_valid_resident_id():
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "needle"),
    [
        ("110105194912310021", "should be X"),
        ("110105194913310023", "not a date"),
        ("1101051949123100", "17 digits"),
        ("990105194912310023", "region"),
    ],
    ids=["checksum", "birth_date", "length", "region"],
)
def test_invalid_resident_id(number, needle):
    if needle == "region":
        body = number[:17]
        from stdnum.cn import ric

        number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(IdentifierError) as exc:
        validate_resident_id(number)
    assert needle in str(exc.value)


def test_wechat_appid_format():
    assert validate_appid("wechat", "WX1A2B3C4D5E6F7081") == "wx1a2b3c4d5e6f7081"
    with pytest.raises(IdentifierError, match="16 hexadecimal"):
        validate_appid("wechat", "wx123")
    assert validate_appid("baidu", "any-id") == "any-id"


def test_mobile():
    assert validate_mobile("+86 139-1234-5678") == "13912345678"
    with pytest.raises(IdentifierError, match="11 digits"):
        validate_mobile("12912345678")


@pytest.mark.parametrize(
    ("raw", "ascii_name", "shown"),
    [
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s", "例子.中国"),
        ("https://Example.CN/path", "example.cn", "example.cn"),
        ("www.example.com.cn", "example.com.cn", "example.com.cn"),
    ],
)
def test_domain_normalisation(raw, ascii_name, shown):
    assert normalize_domain(raw) == ascii_name
    assert domain_display(ascii_name) == shown


@pytest.mark.parametrize("raw", ["localhost", "bad_domain.cn", "-x.cn", ""])
def test_domain_rejected(raw):
    with pytest.raises(IdentifierError):
        normalize_domain(raw)


@pytest.mark.parametrize(
    ("check", "value", "code"),
    [
        (validate_uscc, "9111010855138508", "uscc_length"),
        (validate_uscc, "91110108551385O82Q", "uscc_format"),
        (validate_uscc, "91110108551385082A", "uscc_checksum"),
        (validate_resident_id, "1101051949123100", "ric_format"),
        (validate_resident_id, "110105194913310023", "ric_birth_date"),
        (validate_resident_id, "110105194912310021", "ric_checksum"),
        (validate_mobile, "12912345678", "mobile"),
        (normalize_domain, "localhost", "domain"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_each_rejection_carries_its_code(check, value, code):
    with pytest.raises(IdentifierError) as exc:
        check(value)
    assert exc.value.code == code


def test_future_birth_date_is_refused():
    with pytest.raises(IdentifierError, match="in the future") as exc:
        validate_resident_id("110105209912310020")
    assert exc.value.code == "ric_birth_date"


def test_appid_shape_named_per_platform_and_unknown_platform_accepts_any_id():
    with pytest.raises(IdentifierError, match="16 digits starting with 20") as exc:
        validate_appid("alipay", "12345")
    # the platform by its name, translated on display (not its stored value)
    assert str(exc.value.params["platform"]) == "Alipay"
    assert "Alipay AppID" in str(exc.value)
    assert validate_appid("not-a-platform", "x1") == "x1"
