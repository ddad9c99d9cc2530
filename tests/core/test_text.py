"""core.text: one rule for every free-text value (NFC, invisible characters, controls)."""

import unicodedata

import pytest

from core.text import TextError, clean_text, find_text_problem, header_text, scrub_text

COMPOSED = "Caf\u00e9"
DECOMPOSED = "Cafe\u0301"


def test_nfc_makes_composed_and_decomposed_one_value():
    assert COMPOSED != DECOMPOSED
    assert clean_text(DECOMPOSED) == COMPOSED
    assert clean_text(COMPOSED) == COMPOSED
    assert unicodedata.is_normalized("NFC", clean_text(DECOMPOSED))


@pytest.mark.parametrize(
    "char",
    [*"\u202a\u202b\u202c\u202d\u202e", *"\u2066\u2067\u2068\u2069", *"\u200e\u200f\u061c"],
)
def test_bidi_controls_are_stripped(char):
    assert clean_text(f"小程序{char}名称") == "小程序名称"
    assert clean_text(f"note{char}\nline", multiline=True) == "note\nline"


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_are_stripped(char):
    assert clean_text(f"{char}测试{char}科技") == "测试科技"


def test_rtl_override_no_longer_reverses_the_name():
    assert clean_text("invoice\u202egnp.exe") == "invoicegnp.exe"


def test_whitespace_is_trimmed_at_both_ends_only():
    assert clean_text("  \t深圳  测试\u3000\r\n") == "深圳  测试"


def test_value_that_is_only_invisible_characters_becomes_empty():
    assert clean_text("\u200b\u202e ") == ""


@pytest.mark.parametrize(("value", "position"), [("a\nb", 2), ("ab\r\ncd", 3), ("x\u2028y", 2)])
def test_line_break_refused_in_single_line_field(value, position):
    with pytest.raises(TextError) as e:
        clean_text(value)
    assert e.value.code == "line_break"
    assert e.value.position == position
    assert f"position {position}" in e.value.message


def test_line_breaks_kept_in_multi_line_field_as_lf():
    assert clean_text("one\r\ntwo\rthree\nfour", multiline=True) == "one\ntwo\nthree\nfour"
    assert clean_text("col\tcol", multiline=True) == "col\tcol"


def test_tab_refused_in_single_line_field():
    with pytest.raises(TextError, match=r"U\+0009 \(TAB\) at position 2"):
        clean_text("a\tb")


@pytest.mark.parametrize(
    ("char", "label"),
    [
        ("\x00", "U+0000 (NUL)"),
        ("\x07", "U+0007"),
        ("\x1b", "U+001B (ESC)"),
        ("\x7f", "U+007F (DEL)"),
        ("\x80", "U+0080"),
        ("\x9b", "U+009B"),
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_refused_naming_character_and_position(char, label, multiline):
    with pytest.raises(TextError) as e:
        clean_text(f"名称{char}x", multiline=multiline)
    assert e.value.position == 3
    assert e.value.character == char
    assert e.value.message == f"Remove the control character {label} at position 3."
    assert isinstance(e.value, ValueError)


def test_position_counts_the_value_as_given():
    # Leading spaces are trimmed but still counted: the person sees their own text.
    problem = find_text_problem("  ab\x00")
    assert problem is not None
    assert problem.position == 5


def test_find_text_problem_none_for_clean_text():
    assert find_text_problem("深圳市测试科技有限公司") is None
    assert find_text_problem("two\nlines", multiline=True) is None


def test_scrub_replaces_what_clean_would_refuse_by_a_space():
    assert scrub_text("Foo\r\nBar\u202e\x00baz") == "Foo Bar baz"
    assert scrub_text("one\r\ntwo\x07", multiline=True) == "one\ntwo"
    assert find_text_problem(scrub_text("a\x1b\tb\nc")) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("小程序\r\nBcc: x@example.com", "小程序 Bcc: x@example.com"),
        ("a\u202e\u200bb\x00c", "ab c"),
        ("  many   spaces\t", "many spaces"),
    ],
)
def test_header_text_is_one_clean_line(value, expected):
    assert header_text(value) == expected


def test_header_text_caps_length():
    capped = header_text("长" * 500, max_length=20)
    assert len(capped) == 20
    assert capped.endswith("…")


@pytest.mark.parametrize(
    "value",
    ["名称\u200b\n", "名称\n\u200b", "\u200b\n名称", "\n\u200b 名称 \u200b\r\n"],
    ids=["invisible_then_newline", "newline_then_invisible", "leading", "both_ends"],
)
def test_a_line_break_at_an_end_goes_wherever_an_invisible_character_sits(value):
    assert clean_text(value) == "名称"


def test_a_line_break_inside_is_still_refused_next_to_invisible_characters():
    with pytest.raises(TextError) as exc:
        clean_text("名\u200b\n称")
    assert exc.value.position == 3
