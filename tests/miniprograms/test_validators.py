"""The Django adapters keep the kernel's message, code and params on the ValidationError."""

import pytest
from django.core.exceptions import ValidationError

from miniprograms.validators import (
    normalize_domain,
    validate_appid,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)


def test_valid_values_pass_through_normalised():
    assert validate_uscc("91110108 551385082q") == "91110108551385082Q"
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"
    assert validate_mobile("+86 139-1234-5678") == "13912345678"
    assert validate_appid("wechat", "WX1A2B3C4D5E6F7081") == "wx1a2b3c4d5e6f7081"
    assert normalize_domain("例子.中国") == "xn--fsqu00a.xn--fiqs8s"


@pytest.mark.parametrize(
    ("check", "args", "code", "needle"),
    [
        (validate_uscc, ("91110108551385082A",), "uscc_checksum", "expected Q"),
        (validate_uscc, ("9111010855138508",), "uscc_length", "this one has 16"),
        (validate_resident_id, ("110105194912310021",), "ric_checksum", "should be X"),
        (validate_mobile, ("12912345678",), "mobile", "11 digits"),
        (validate_appid, ("wechat", "wx123"), "appid", "16 hexadecimal"),
        (normalize_domain, ("bad_domain.cn",), "domain", "bad_domain.cn"),
    ],
    ids=["uscc_checksum", "uscc_length", "ric_checksum", "mobile", "appid", "domain"],
)
def test_rejections_become_validation_errors(check, args, code, needle):
    with pytest.raises(ValidationError) as exc:
        check(*args)
    assert exc.value.code == code
    assert needle in exc.value.messages[0]
