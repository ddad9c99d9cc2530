"""Value types and part checks shared by the number parser and the number search.

Each helper checks one part of a number (province prefix, licence classes, service suffix,
serial year) and either returns what it found or raises NumberError with a sentence a
person can act on. No Django apart from gettext; no settings are read.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from icp.provinces import PROVINCES, Province, province_by_char, province_by_code

ICP_QUERY_URL = "https://beian.miit.gov.cn/"
# Foreign-invested operators' licences carry 合字 where a province would be (domain.md §1.4).
FOREIGN_PREFIX = "合字"
# Classes that may appear, alone or joined by dots in any order, in an ICP licence number.
LICENCE_CLASSES = ("A1", "A2", "B1", "B2")
_BEIJING = ZoneInfo("Asia/Shanghai")


class NumberFamily(StrEnum):
    FILING = "filing"
    ICP_LICENCE = "icp_licence"
    B_LICENCE = "b_licence"
    PSB = "psb"


class ServiceType(StrEnum):
    ENTITY = "entity"
    WEBSITE = "website"
    APP = "app"
    MINIPROGRAM = "miniprogram"
    QUICKAPP = "quickapp"


# Websites, apps, mini-programs and quick apps share one serial space; the letter gives the type.
KIND_TO_TYPE: dict[str, ServiceType] = {
    "": ServiceType.WEBSITE,
    "A": ServiceType.APP,
    "X": ServiceType.MINIPROGRAM,
    "K": ServiceType.QUICKAPP,
}
TYPE_TO_KIND: dict[ServiceType, str] = {v: k for k, v in KIND_TO_TYPE.items()}

PRIMARY_CHARS = "".join(p.icp_char for p in PROVINCES)
ALIAS_CHARS = "".join(ch for p in PROVINCES for ch in p.icp_chars[1:])

# NFKC folds full-width forms (－ → -, ２ → 2, ： → :) but not these dashes seen on real pages.
DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹣", "-"))
# Python's \s misses zero-width characters that copy-paste from web pages carries along.
_STRIP = re.compile(r"[\s:\u200b\u200c\u200d\u2060\ufeff]+")
_SEQ_RE = re.compile(r"[1-9]\d{0,4}")


class NumberError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def number_error(code: str, message: str, **params: object) -> NumberError:
    """Build a NumberError; translate the template first so makemessages sees the literal."""
    return NumberError(message % params, code)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    family: NumberFamily
    normalized: str
    province_code: str | None
    province_char: str | None
    entity_number: str
    entity_serial: str
    service_seq: int | None = None
    service_type: ServiceType | None = None
    licence_class: str | None = None
    year: int | None = None
    needs_review: bool = False
    warnings: tuple[str, ...] = ()
    # The classes of a licence as written (`A2.B1.B2` → ("A2", "B1", "B2")); () otherwise.
    licence_classes: tuple[str, ...] = ()
    # A 合字 licence: issued to a foreign-invested operator, so it has no province.
    foreign_invested: bool = False

    @property
    def province(self) -> Province | None:
        return province_by_code(self.province_code) if self.province_code else None

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["family"] = str(self.family)
        data["service_type"] = str(self.service_type) if self.service_type else None
        data["warnings"] = list(self.warnings)
        data["licence_classes"] = list(self.licence_classes)
        return data


def normalize(text: str) -> str:
    """Fold full-width forms and dashes, drop whitespace and colons, uppercase letters."""
    text = unicodedata.normalize("NFKC", text or "").translate(DASHES)
    return _STRIP.sub("", text).upper()


def beijing_today() -> datetime.date:
    """Today in Beijing: the calendar the serial years are written in."""
    return datetime.datetime.now(tz=_BEIJING).date()


def optional_province(ch: str) -> Province | None:
    """The province a prefix names, None without a prefix; raise if the prefix is unknown."""
    return province_part(ch) if ch else None


def province_part(ch: str) -> Province:
    """The province a prefix names; raise if it is missing or unknown."""
    if not ch:
        raise number_error(
            "missing_province",
            _("The number has no province character; it must start with one of %(chars)s."),
            chars=PRIMARY_CHARS,
        )
    if prov := province_by_char(ch):
        return prov
    # Someone who typed the name (广东ICP备…) gets told which character to use instead.
    hint = ""
    for p in (p for p in PROVINCES if len(ch) >= 2 and p.name_zh.startswith(ch)):
        hint = _(" For %(name)s use %(char)s.") % {"name": p.name_zh, "char": p.icp_char}
    if ch in FOREIGN_PREFIX or FOREIGN_PREFIX in ch:
        hint = _(" Foreign-invested operators' licences start with 合字 alone: 合字B2-20090007.")
    raise number_error(
        "unknown_province",
        _(
            "'%(ch)s' is not a province abbreviation; a number starts with one of %(chars)s "
            "(aliases %(aliases)s).%(hint)s"
        ),
        ch=ch,
        chars=PRIMARY_CHARS,
        aliases=ALIAS_CHARS,
        hint=hint,
    )


def province_warnings(ch: str, prov: Province | None) -> list[str]:
    """云 for Yunnan is attested but rare; domain.md calls it suspect, so a person should look."""
    if ch != "云" or prov is None:
        return []
    msg = _("'云' is a rare alias for %(name)s (usually 滇); verify it at %(url)s.")
    return [msg % {"name": prov.name_zh, "url": ICP_QUERY_URL}]


def licence_classes(written: str) -> tuple[str, ...]:
    """Split `A2.B1.B2` into its classes; each of A1, A2, B1, B2 at most once, any order."""
    classes = tuple(written.split("."))
    unknown = [c for c in classes if c not in LICENCE_CLASSES]
    if unknown:
        raise number_error(
            "unknown_licence_class",
            _(
                "Licence class %(c)s is not an ICP class; use B2 or A1, A2, B1 "
                "(several joined by dots, as in A2.B1.B2): 粤B2-20090059."
            ),
            c=unknown[0],
        )
    if len(set(classes)) != len(classes):
        raise number_error(
            "duplicate_licence_class",
            _("Licence class list %(c)s names a class twice; each class appears once."),
            c=written,
        )
    return classes


def future_year_warnings(serial: str, year: int, today: datetime.date) -> list[str]:
    """A serial dated after the current year is not real (fabricated numbers exist)."""
    if year <= today.year:
        return []
    msg = _(
        "The serial %(s)s carries the year %(y)d, which is later than this year; "
        "such numbers are not issued yet: verify it at %(url)s."
    )
    return [msg % {"s": serial, "y": year, "url": ICP_QUERY_URL}]


def service_suffix(
    m: re.Match[str],
    t: str,
    entity: str,
    warnings: list[str],
    *,
    lenient: bool,
    hao_optional: bool,
) -> tuple[int | None, str]:
    """Validate the `-N[AXK]` suffix and where 号 sits; return (seq, kind).

    hao_optional: 号 may be left out entirely (B licences); ICP numbers need it right after
    the serial.
    """
    seq, kind, tail, hao = m["seq"], m["kind"] or "", m["tail"], m["hao"]
    if seq is not None and (kind not in KIND_TO_TYPE or not _SEQ_RE.fullmatch(seq)):
        raise number_error(
            "bad_suffix",
            _(
                "'-%(s)s' is not a service suffix: after '-' comes a number from 1 to 99999 "
                "(no leading zero), then A (app), X (mini-program), K (quick app) or nothing "
                "(website)."
            ),
            s=seq + kind,
        )
    if tail not in ("", "号") or (tail == "号" and (hao or seq is None)):
        raise number_error(
            "bad_format", _("Unexpected text '%(x)s' at the end of %(n)s."), x=tail, n=t
        )
    if not (hao or (hao_optional and not tail)):
        fixed = entity + (f"-{seq}{kind}" if seq else "")
        _misplaced_hao(t, fixed, warnings, misplaced=bool(tail), lenient=lenient)
    return (int(seq) if seq else None), kind


def _misplaced_hao(
    t: str, fixed: str, warnings: list[str], *, misplaced: bool, lenient: bool
) -> None:
    """号 is after the suffix (misplaced) or absent: an error, or a review warning if lenient."""
    params = {"n": t, "f": fixed}
    code, msg = (
        ("hao_misplaced", _("In %(n)s '号' must come right after the serial: write %(f)s."))
        if misplaced
        else ("missing_hao", _("%(n)s lacks '号' after the serial: write %(f)s."))
    )
    if not lenient:
        raise NumberError(msg % params, code)
    warnings.append(msg % params + " " + _("Parsed leniently; needs review."))
