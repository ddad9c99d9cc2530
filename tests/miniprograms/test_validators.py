import pytest
from django.core.exceptions import ValidationError

from miniprograms.validators import (
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
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert needle in exc.value.messages[0]


def test_uscc_checksum_message_names_the_expected_character():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91110108551385082A")
    assert "expected Q" in exc.value.messages[0]


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
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert needle in exc.value.messages[0]


def test_wechat_appid_format():
    assert validate_appid("wechat", "WX1A2B3C4D5E6F7081") == "wx1a2b3c4d5e6f7081"
    with pytest.raises(ValidationError, match="16 hexadecimal"):
        validate_appid("wechat", "wx123")
    assert validate_appid("baidu", "any-id") == "any-id"


def test_mobile():
    assert validate_mobile("+86 139-1234-5678") == "13912345678"
    with pytest.raises(ValidationError, match="11 digits"):
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
    with pytest.raises(ValidationError):
        normalize_domain(raw)
