"""Identifiers of the register: USCC, resident ID, mobile number, AppID and domain name.

Pure: no Django settings, no database. Check digits come from python-stdnum (GB 32100 for the
USCC, GB 11643 for resident IDs). Every rejection raises :class:`IdentifierError` with a
sentence a person can act on (translated when shown) and a stable code;
`miniprograms.validators` turns it into a Django `ValidationError`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric, uscc

from .channels import Platform
from .types import Text

__all__ = [
    "APPID_PATTERNS",
    "PLATFORM_NAMES",
    "IdentifierError",
    "domain_display",
    "normalize_domain",
    "normalize_mobile",
    "normalize_uscc",
    "validate_appid",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]


class IdentifierError(ValueError):
    """An identifier is malformed. `message` may hold ``%(name)s`` placeholders for `params`."""

    def __init__(
        self, message: Text, code: str, params: Mapping[str, object] | None = None
    ) -> None:
        self.message = message
        self.code = code
        self.params: dict[str, object] = dict(params or {})
        super().__init__(message, code)

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_uscc(value: str) -> str:
    return str(uscc.compact(value or "")).upper()


def validate_uscc(value: str) -> str:
    """Return the compact USCC or raise with what exactly is wrong."""
    number = normalize_uscc(value)
    if len(number) != 18:
        raise IdentifierError(
            _("A Unified Social Credit Code has 18 characters; this one has %(n)d."),
            "uscc_length",
            {"n": len(number)},
        )
    bad = sorted({c for c in number if c not in _USCC_ALPHABET})
    if bad:
        raise IdentifierError(
            _(
                "A Unified Social Credit Code never contains %(chars)s (I, O, S, V and Z are "
                "not used); check the characters against the business licence."
            ),
            "uscc_format",
            {"chars": ", ".join(bad)},
        )
    try:
        return str(uscc.validate(number))
    except stdnum_exc.InvalidChecksum:
        raise IdentifierError(
            _(
                "The check character of this Unified Social Credit Code is wrong (expected "
                "%(expected)s at the end); one of the 18 characters was probably mistyped."
            ),
            "uscc_checksum",
            {"expected": uscc.calc_check_digit(number)},
        ) from None
    except stdnum_exc.ValidationError:
        raise IdentifierError(
            _("The first eight characters of a Unified Social Credit Code must be digits."),
            "uscc_format",
        ) from None


def _resident_birth_date(number: str) -> datetime.date:
    try:
        birth: datetime.date = ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise IdentifierError(
            _(
                "Characters 7–14 of a resident ID are the birth date (YYYYMMDD); "
                "%(d)s is not a date."
            ),
            "ric_birth_date",
            {"d": number[6:14]},
        ) from None
    if birth > datetime.date.today():  # noqa: DTZ011 - a birth date is a calendar date
        raise IdentifierError(
            _("The birth date in this resident ID is in the future."), "ric_birth_date"
        )
    return birth


def validate_resident_id(value: str) -> str:
    """GB 11643 resident ID: length, check digit, birth date and region."""
    number = str(ric.compact(value or "")).upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise IdentifierError(
            _("A resident ID number has 17 digits followed by a digit or X."), "ric_format"
        )
    _resident_birth_date(number)
    expected = str(ric.calc_check_digit(number))
    if number[-1] != expected:
        raise IdentifierError(
            _("The last character of this resident ID should be %(expected)s; check for a typo."),
            "ric_checksum",
            {"expected": expected},
        )
    try:
        ric.get_birth_place(number)
    except stdnum_exc.ValidationError:
        raise IdentifierError(
            _("The first six digits of this resident ID are not a known region code."),
            "ric_region",
        ) from None
    return number


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    return digits.removeprefix("+86").removeprefix("0086")


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not _MOBILE_RE.match(number):
        raise IdentifierError(
            _("Enter a mainland China mobile number: 11 digits starting with 13–19."), "mobile"
        )
    return number


# Platform AppID formats that are published; other platforms accept any non-empty id.
APPID_PATTERNS: Mapping[Platform, tuple[re.Pattern[str], Text]] = MappingProxyType(
    {
        Platform.WECHAT: (
            re.compile(r"^wx[0-9a-f]{16}$"),
            _("wx followed by 16 hexadecimal digits"),
        ),
        Platform.QQ: (re.compile(r"^\d{9,10}$"), _("9 or 10 digits")),
        Platform.ALIPAY: (re.compile(r"^20\d{14}$"), _("16 digits starting with 20")),
        Platform.DOUYIN: (
            re.compile(r"^tt[0-9a-z]{16}$"),
            _("tt followed by 16 letters or digits"),
        ),
    }
)


# The names the platforms go by (the same texts as the register's platform labels).
PLATFORM_NAMES: Mapping[Platform, Text] = MappingProxyType(
    {
        Platform.WECHAT: _("WeChat"),
        Platform.QQ: _("QQ"),
        Platform.ALIPAY: _("Alipay"),
        Platform.DOUYIN: _("Douyin"),
    }
)


def validate_appid(platform: str, value: str) -> str:
    appid = (value or "").strip()
    if platform == Platform.WECHAT:
        appid = appid.lower()
    if not appid:
        raise IdentifierError(_("Enter the AppID shown in the platform's console."), "appid")
    rule = APPID_PATTERNS.get(Platform(platform)) if platform in set(Platform) else None
    if rule and not rule[0].match(appid):
        raise IdentifierError(
            _("This does not look like a %(platform)s AppID: expected %(shape)s."),
            "appid",
            # Both named in the reader's language (the params are lazy, resolved on display).
            {"platform": PLATFORM_NAMES.get(Platform(platform), platform), "shape": rule[1]},
        )
    return appid


_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """Return the ASCII (punycode) form of a domain, lower-case, without scheme or path.

    `例子.中国` -> `xn--fsqu00a.xn--fiqs8s`. Raises IdentifierError with the reason.
    """
    text = (value or "").strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/")[0].split(":")[0].rstrip(".")
    text = text.replace("。", ".").replace("．", ".")
    text = text.removeprefix("www.") if text.count(".") >= 2 and text.startswith("www.") else text
    if not text or "." not in text:
        raise IdentifierError(
            _("Enter a domain name such as example.cn (the part after https:// and before /)."),
            "domain",
        )
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise IdentifierError(
            _("%(d)s is not a valid domain name."), "domain", {"d": value}
        ) from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        raise IdentifierError(
            _("%(d)s is not a valid domain name: use letters, digits and hyphens between dots."),
            "domain",
            {"d": value},
        )
    return ascii_name


def domain_display(ascii_name: str) -> str:
    try:
        return ascii_name.encode("ascii").decode("idna")
    except UnicodeError:
        return ascii_name
