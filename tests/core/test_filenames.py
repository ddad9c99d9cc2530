from __future__ import annotations

import pytest

from core.filenames import redact_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("110105198001011019张三身份证.pdf", "张三身份证.pdf"),
        ("11010519800101101X张三.pdf", "张三.pdf"),
        ("张三-11010519800101101x-身份证.jpg", "张三-身份证.jpg"),
        ("张三_110105800101101身份证.PDF", "张三_身份证.PDF"),
        ("张三 13812345678 手机.png", "张三 手机.png"),
        ("13812345678.jpg", "file.jpg"),
        ("C:\\Users\\li\\13812345678张三.pdf", "张三.pdf"),
        ("../../110105198001011019.pdf", "file.pdf"),
        ("合同2024-01-31.pdf", "合同2024-01-31.pdf"),
        ("发票12345678901234567890.pdf", "发票12345678901234567890.pdf"),
        ("营业执照.pdf", "营业执照.pdf"),
        ("", "file"),
    ],
    ids=[
        "resident_id_case",
        "resident_id_with_x_case",
        "resident_id_lower_x_between_separators_case",
        "old_15_digit_id_case",
        "mobile_case",
        "only_a_number_case",
        "windows_path_case",
        "folders_dropped_case",
        "date_kept_case",
        "longer_number_kept_case",
        "plain_name_case",
        "empty_case",
    ],
)
def test_redact_filename(name, expected):
    assert redact_filename(name) == expected
