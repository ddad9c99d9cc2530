"""Personal numbers taken out of uploaded files' names; company numbers kept."""

import pytest

from core.filenames import redact_filename
from tests.factories import valid_ric, valid_uscc


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (f"张三-{valid_ric(1)}.xlsx", "张三-***.xlsx"),
        (f"{valid_ric(2, birth='19900101')[:17]}x_身份证.csv", "***_身份证.csv"),
        ("李四 13800138000 联系人.csv", "李四 *** 联系人.csv"),
        ("+8613900139000.xlsx", "***.xlsx"),
        ("old-110105491231002.csv", "old-***.csv"),
        (f"主办单位-{valid_uscc(5)}.xlsx", f"主办单位-{valid_uscc(5)}.xlsx"),
        ("订单-123456789012345678.xlsx", "订单-123456789012345678.xlsx"),  # bad check digit
        ("2024-05-01 portfolio.xlsx", "2024-05-01 portfolio.xlsx"),
        ("粤ICP备2024286477号.csv", "粤ICP备2024286477号.csv"),
    ],
    ids=[
        "resident_id_case",
        "lowercase_x_case",
        "mobile_case",
        "mobile_with_country_code_case",
        "old_15_digit_id_case",
        "uscc_kept_case",
        "random_18_digits_kept_case",
        "date_kept_case",
        "filing_number_kept_case",
    ],
)
def test_redact_filename(name, expected):
    assert redact_filename(name) == expected
