"""Validators for the register. Each raises ValidationError with a sentence a person can act on.

Check digits come from python-stdnum (GB 32100 for USCC, GB 11643 for resident IDs).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric, uscc

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_uscc(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_uscc(value: str) -> str:
    """Return the compact USCC or raise with what exactly is wrong."""
    number = normalize_uscc(value)
    if len(number) != 18:
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(number)},
        )
    bad = sorted({c for c in number if c not in _USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A Unified Social Credit Code never contains %(chars)s (I, O, S, V and Z are "
                "not used); check the characters against the business licence."
            ),
            code="uscc_format",
            params={"chars": ", ".join(bad)},
        )
    try:
        return uscc.validate(number)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(
            _(
                "The check character of this Unified Social Credit Code is wrong (expected "
                "%(expected)s at the end); one of the 18 characters was probably mistyped."
            ),
            code="uscc_checksum",
            params={"expected": uscc.calc_check_digit(number)},
        ) from None
    except stdnum_exc.ValidationError:
        raise ValidationError(
            _("The first eight characters of a Unified Social Credit Code must be digits."),
            code="uscc_format",
        ) from None


def validate_resident_id(value: str) -> str:
    """GB 11643 resident ID: length, check digit, birth date and region."""
    number = ric.compact(value or "").upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."),
            code="ric_format",
        )
    try:
        birth = ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise ValidationError(
            _(
                "Characters 7–14 of a resident ID are the birth date (YYYYMMDD); "
                "%(d)s is not a date."
            ),
            code="ric_birth_date",
            params={"d": number[6:14]},
        ) from None
    if birth > datetime.date.today():  # noqa: DTZ011 - a birth date is a calendar date
        raise ValidationError(
            _("The birth date in this resident ID is in the future."), code="ric_birth_date"
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("The last character of this resident ID should be %(expected)s; check for a typo."),
            code="ric_checksum",
            params={"expected": ric.calc_check_digit(number)},
        )
    try:
        ric.get_birth_place(number)
    except stdnum_exc.ValidationError:
        raise ValidationError(
            _("The first six digits of this resident ID are not a known region code."),
            code="ric_region",
        ) from None
    return number


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    return digits.removeprefix("+86").removeprefix("0086")


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not _MOBILE_RE.match(number):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 13–19."),
            code="mobile",
        )
    return number


# Platform AppID formats that are published; other platforms accept any non-empty id.
APPID_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "wechat": (re.compile(r"^wx[0-9a-f]{16}$"), "wx followed by 16 hexadecimal digits"),
    "qq": (re.compile(r"^\d{9,10}$"), "9 or 10 digits"),
    "alipay": (re.compile(r"^20\d{14}$"), "16 digits starting with 20"),
    "douyin": (re.compile(r"^tt[0-9a-z]{16}$"), "tt followed by 16 letters or digits"),
}


def validate_appid(platform: str, value: str) -> str:
    appid = (value or "").strip()
    if platform == "wechat":
        appid = appid.lower()
    if not appid:
        raise ValidationError(_("Enter the AppID shown in the platform's console."), code="appid")
    rule = APPID_PATTERNS.get(platform)
    if rule and not rule[0].match(appid):
        raise ValidationError(
            _("This does not look like a %(platform)s AppID: expected %(shape)s."),
            code="appid",
            params={"platform": platform, "shape": _(rule[1])},
        )
    return appid


_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """Return the ASCII (punycode) form of a domain, lower-case, without scheme or path.

    `例子.中国` -> `xn--fsqu00a.xn--fiqs8s`. Raises ValidationError with the reason.
    """
    text = (value or "").strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/")[0].split(":")[0].rstrip(".")
    text = text.replace("。", ".").replace("．", ".")
    text = text.removeprefix("www.") if text.count(".") >= 2 and text.startswith("www.") else text
    if not text or "." not in text:
        raise ValidationError(
            _("Enter a domain name such as example.cn (the part after https:// and before /)."),
            code="domain",
        )
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(
            _("%(d)s is not a valid domain name."), code="domain", params={"d": value}
        ) from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        raise ValidationError(
            _("%(d)s is not a valid domain name: use letters, digits and hyphens between dots."),
            code="domain",
            params={"d": value},
        )
    return ascii_name


def domain_display(ascii_name: str) -> str:
    try:
        return ascii_name.encode("ascii").decode("idna")
    except UnicodeError:
        return ascii_name
