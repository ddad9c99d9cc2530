"""Parse and validate ICP filing, ICP licence and public-security numbers (domain.md §1).

Accepted shapes (after normalising):
  filing       粤ICP备2024286477号, 沪ICP备13002172号-3, 陕ICP备2024026116号-1A
  icp_licence  京ICP证030173号, 京ICP证030173号-1
  b_licence    粤B2-20090059, 皖B1.B2-20070020, 粤A2-20044005号, B2-20080101, 粤B2-20090059-1626X
  psb          京公网安备11010802020088号 (号 optional)

Each shape is split with a deliberately loose regex and then checked part by part, so that a
rejection can say exactly which part is wrong. NumberError.code is one of: empty,
missing_province, unknown_province, wrong_keyword, bad_format, serial_length, missing_hao,
hao_misplaced, bad_suffix, unknown_licence_class, psb_province_mismatch, not_an_icp_number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum

from django.utils.translation import gettext as _

from core.provinces import PROVINCES, Province, province_by_char, province_by_code

ICP_QUERY_URL = "https://beian.miit.gov.cn/"


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
_KIND_TO_TYPE = {
    "": ServiceType.WEBSITE,
    "A": ServiceType.APP,
    "X": ServiceType.MINIPROGRAM,
    "K": ServiceType.QUICKAPP,
}
_TYPE_TO_KIND = {v: k for k, v in _KIND_TO_TYPE.items()}
_B_CLASSES = ("A2", "B1", "B2", "B1.B2")

_PRIMARY_CHARS = "".join(p.icp_char for p in PROVINCES)
_ALIAS_CHARS = "".join(ch for p in PROVINCES for ch in p.icp_chars[1:])

# NFKC folds full-width forms (－ → -, ２ → 2, ： → :) but not these dashes seen on real pages.
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹣", "-"))
# Python's \s misses zero-width characters that copy-paste from web pages carries along.
_STRIP = re.compile(r"[\s:\u200b\u200c\u200d\u2060\ufeff]+")

_SERVICE = r"(?:-(?P<seq>\d*)(?P<kind>[A-Z]*))?(?P<tail>.*)"
_ICP_RE = re.compile(rf"^(?P<prov>.*?)ICP(?P<kw>备案|备|证|)(?P<serial>\d*)(?P<hao>号?){_SERVICE}$")
_PSB_RE = re.compile(r"^(?P<prov>.*?)公网安备(?P<code>\d*)号?$")
_SEQ_RE = re.compile(r"[1-9]\d{0,4}")
_B_RE = re.compile(
    rf"^(?P<prov>\D*?)(?P<cls>[A-Z]\d(?:\.[A-Z]\d)*)-(?P<serial>\d+)(?P<hao>号?){_SERVICE}$"
)
# 2003-catalogue style, e.g. 辽B-2-4-20080039 (class B2, item 4); still printed on old footers.
_B_OLD_RE = re.compile(
    r"^(?P<prov>\D?)(?P<cls>B)-(?P<sub>[12])-(?P<item>\d)-(?P<serial>(?:19|20)\d{6})号?$"
)

# Footer numbers that look official but are not ICP numbers: say what they are instead.
_NOT_ICP = (
    (re.compile(r"网文"), "an online culture operating licence (网络文化经营许可证)"),
    (re.compile(r"网出证|新出网证"), "an online publishing licence (网络出版服务许可证)"),
    (re.compile(r"^\(.\)-(?:非)?经营性-"), "an internet drug information certificate"),
    (re.compile(r"^\D?D1-"), "a domain root server operator licence (class D1)"),
    (re.compile(r"^\D?D2-"), "a domain registry licence (class D2)"),
    (re.compile(r"^\D?D3-"), "a domain-name registrar licence (class D3)"),
)


class NumberError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _err(code: str, message: str, **params: object) -> NumberError:
    # Translate the template first, then interpolate, so makemessages sees the literal.
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

    @property
    def province(self) -> Province | None:
        return province_by_code(self.province_code) if self.province_code else None

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["family"] = str(self.family)
        data["service_type"] = str(self.service_type) if self.service_type else None
        data["warnings"] = list(self.warnings)
        return data


def normalize(text: str) -> str:
    """Fold full-width forms and dashes, drop whitespace and colons, uppercase letters."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return _STRIP.sub("", text).upper()


def parse_number(text: str, *, lenient: bool = False) -> ParsedNumber:
    """Parse one number; raise NumberError with a sentence a person can act on.

    lenient accepts the malformed forms seen on real pages (号 missing, or placed after the
    service suffix) and marks the result needs_review.
    """
    t = normalize(text)
    if not t:
        raise _err("empty", _("The number is empty; enter it as shown on the filing record."))
    for pattern, what in _NOT_ICP:
        if pattern.search(t):
            raise _err(
                "not_an_icp_number",
                _("%(n)s is %(what)s, not an ICP number; ICP numbers look like %(ex)s."),
                n=t,
                what=what,
                ex="粤ICP备2024286477号, 京ICP证030173号, 粤B2-20090059",
            )
    if m := _PSB_RE.match(t):
        return _parse_psb(t, m)
    if m := _ICP_RE.match(t):
        return _parse_icp(t, m, lenient)
    if (m := _B_OLD_RE.match(t)) or (m := _B_RE.match(t)):
        return _parse_b(t, m, lenient)
    raise _err(
        "bad_format",
        _(
            "%(n)s is not a recognised number; expected a filing number like "
            "粤ICP备2024286477号-1, a licence like 京ICP证030173号 or 粤B2-20090059, "
            "or 京公网安备11010802020088号."
        ),
        n=t,
    )


def _province(ch: str, *, optional: bool = False) -> Province | None:
    if not ch and optional:
        return None
    if not ch:
        raise _err(
            "missing_province",
            _("The number has no province character; it must start with one of %(chars)s."),
            chars=_PRIMARY_CHARS,
        )
    if prov := province_by_char(ch):
        return prov
    # Someone who typed the name (广东ICP备…) gets told which character to use instead.
    hint = ""
    for p in (p for p in PROVINCES if len(ch) >= 2 and p.name_zh.startswith(ch)):
        hint = _(" For %(name)s use %(char)s.") % {"name": p.name_zh, "char": p.icp_char}
    raise _err(
        "unknown_province",
        _(
            "'%(ch)s' is not a province abbreviation; a number starts with one of %(chars)s "
            "(aliases %(aliases)s).%(hint)s"
        ),
        ch=ch,
        chars=_PRIMARY_CHARS,
        aliases=_ALIAS_CHARS,
        hint=hint,
    )


def _province_warnings(ch: str, prov: Province | None) -> list[str]:
    # 云 for Yunnan is attested but rare; domain.md calls it suspect, so a person should look.
    if ch != "云" or prov is None:
        return []
    msg = _("'云' is a rare alias for %(name)s (usually 滇); verify it at %(url)s.")
    return [msg % {"name": prov.name_zh, "url": ICP_QUERY_URL}]


def _service(
    m: re.Match, t: str, entity: str, lenient: bool, warnings: list[str]
) -> tuple[int | None, str]:
    """Validate the `-N[AXK]` suffix and where 号 sits; return (seq, kind)."""
    seq, kind, tail, hao = m["seq"], m["kind"] or "", m["tail"], m["hao"]
    if seq is not None and (kind not in _KIND_TO_TYPE or not _SEQ_RE.fullmatch(seq)):
        raise _err(
            "bad_suffix",
            _(
                "'-%(s)s' is not a service suffix: after '-' comes a number from 1 to 99999 "
                "(no leading zero), then A (app), X (mini-program), K (quick app) or nothing "
                "(website)."
            ),
            s=seq + kind,
        )
    if tail not in ("", "号") or (tail == "号" and (hao or seq is None)):
        raise _err("bad_format", _("Unexpected text '%(x)s' at the end of %(n)s."), x=tail, n=t)
    # 号 is optional on B licences but required on ICP numbers, right after the serial.
    if hao or (m.re is _B_RE and not tail):
        return (int(seq) if seq else None), kind
    fixed = {"n": t, "f": entity + (f"-{seq}{kind}" if seq else "")}
    code, msg = (
        ("hao_misplaced", _("In %(n)s '号' must come right after the serial: write %(f)s."))
        if tail
        else ("missing_hao", _("%(n)s lacks '号' after the serial: write %(f)s."))
    )
    if not lenient:
        raise NumberError(msg % fixed, code)
    warnings.append(msg % fixed + " " + _("Parsed leniently; needs review."))
    return (int(seq) if seq else None), kind


def _build(family, prov, ch, entity, serial, seq, kind, warnings, **extra) -> ParsedNumber:
    return ParsedNumber(
        family=family,
        normalized=entity + (f"-{seq}{kind}" if seq else ""),
        province_code=prov.code if prov else None,
        province_char=ch or None,
        entity_number=entity,
        entity_serial=serial,
        service_seq=seq,
        service_type=_KIND_TO_TYPE[kind] if seq else ServiceType.ENTITY,
        needs_review=bool(warnings),
        warnings=tuple(warnings),
        **extra,
    )


def _parse_icp(t: str, m: re.Match, lenient: bool) -> ParsedNumber:
    prov = _province(m["prov"])
    warnings = _province_warnings(m["prov"], prov)
    kw, serial, year = m["kw"], m["serial"], None
    if kw == "备案":
        raise _err(
            "wrong_keyword",
            _("Write '备', not '备案', after 'ICP', as in 粤ICP备2024286477号."),
        )
    if not kw:
        raise _err("bad_format", _("'ICP' must be followed by '备' (filing) or '证' (licence)."))
    if not serial:
        raise _err("bad_format", _("The serial digits after 'ICP%(kw)s' are missing."), kw=kw)
    if kw == "证" and len(serial) != 6:
        raise _err(
            "serial_length",
            _("ICP licence (ICP证) serials have 6 digits; '%(s)s' has %(n)d."),
            s=serial,
            n=len(serial),
        )
    if kw == "备" and not 6 <= len(serial) <= 10:
        raise _err(
            "serial_length",
            _("Filing serials have 8 digits (older) or 10 (since about 2020); '%(s)s' has %(n)d."),
            s=serial,
            n=len(serial),
        )
    if kw == "备" and len(serial) == 10 and serial[:2] in ("19", "20"):
        year = int(serial[:4])
    elif kw == "备" and len(serial) == 8:
        # 8-digit serials start with a two-digit year; filing began in the late 1990s at most.
        year = int(serial[:2]) + (1900 if serial[:2] >= "90" else 2000)
    elif kw == "备":
        msg = _("The serial %(s)s has an unusual length or year; verify it at %(url)s.")
        warnings.append(msg % {"s": serial, "url": ICP_QUERY_URL})
    family = NumberFamily.ICP_LICENCE if kw == "证" else NumberFamily.FILING
    entity = f"{m['prov']}ICP{kw}{serial}号"
    seq, kind = _service(m, t, entity, lenient, warnings)
    return _build(family, prov, m["prov"], entity, serial, seq, kind, warnings, year=year)


def _parse_b(t: str, m: re.Match, lenient: bool) -> ParsedNumber:
    prov = _province(m["prov"], optional=True)
    warnings = _province_warnings(m["prov"], prov)
    cls, serial = m["cls"], m["serial"]
    if m.re is _B_OLD_RE:
        msg = _("%(n)s is an old-style licence number; confirm it is still valid.")
        return _build(NumberFamily.B_LICENCE, prov, m["prov"], t, serial, None, "",
                      [*warnings, msg % {"n": t}], licence_class=f"B{m['sub']}",
                      year=int(serial[:4]))  # fmt: skip
    if cls not in _B_CLASSES:
        raise _err(
            "unknown_licence_class",
            _("Licence class %(c)s is not an ICP class; use B2 (or B1, B1.B2, A2): 粤B2-20090059."),
            c=cls,
        )
    if len(serial) != 8 or serial[:2] not in ("19", "20"):
        raise _err(
            "serial_length",
            _("After '%(c)s-' come 8 digits, the year and a 4-digit serial; not '%(s)s'."),
            c=cls,
            s=serial,
        )
    if not prov:
        warnings.append(_("No province prefix; confirm this is a cross-regional MIIT licence."))
    entity = f"{m['prov']}{cls}-{serial}"
    seq, kind = _service(m, t, entity, lenient, warnings)
    return _build(NumberFamily.B_LICENCE, prov, m["prov"], entity, serial, seq, kind, warnings,
                  licence_class=cls, year=int(serial[:4]))  # fmt: skip


def _parse_psb(t: str, m: re.Match) -> ParsedNumber:
    prov = _province(m["prov"])
    code = m["code"]
    if len(code) != 14:
        raise _err(
            "serial_length",
            _("Public-security numbers have 14 digits after '公网安备'; '%(c)s' has %(n)d."),
            c=code,
            n=len(code),
        )
    # The code starts with the filing bureau's region; only the first two digits are reliable.
    owner = province_by_code(code[:2] + "0000")
    if owner is None or owner.code != prov.code:
        where = f"{owner.name_zh} ({owner.icp_char})" if owner else _("no province")
        raise _err(
            "psb_province_mismatch",
            _("The code %(c)s belongs to %(w)s, but the prefix '%(ch)s' means %(p)s; fix one."),
            c=code,
            w=where,
            ch=m["prov"],
            p=prov.name_zh,
        )
    normalized = f"{m['prov']}公网安备{code}号"
    return ParsedNumber(NumberFamily.PSB, normalized, prov.code, m["prov"], normalized, code)


def check_for_service(
    parsed: ParsedNumber, *, province_code: str, service_type: ServiceType
) -> list[str]:
    """Return sentences describing why `parsed` does not fit a service of this type and province."""
    expected = province_by_code(province_code)
    if expected is None:
        raise ValueError(f"unknown province code {province_code!r}")
    if parsed.family == NumberFamily.PSB:
        msg = _(
            "%(n)s is a public-security number; this needs the ICP filing number "
            "(like 粤ICP备2024286477号-1), see %(url)s."
        )
        return [msg % {"n": parsed.normalized, "url": ICP_QUERY_URL}]
    problems = []
    if (actual := parsed.province) and actual.code != expected.code:
        msg = _("%(n)s was issued in %(a)s, but the service is registered in %(e)s.")
        problems.append(msg % {"n": parsed.normalized, "a": actual.name_zh, "e": expected.name_zh})
    if parsed.service_type == service_type:
        return problems
    labels = {
        ServiceType.ENTITY: _("an entity"),
        ServiceType.WEBSITE: _("a website"),
        ServiceType.APP: _("an app"),
        ServiceType.MINIPROGRAM: _("a mini-program"),
        ServiceType.QUICKAPP: _("a quick app"),
    }
    params = {
        "n": parsed.normalized,
        "e": parsed.entity_number,
        "t": labels[service_type],
        "w": f"{parsed.entity_number}-N{_TYPE_TO_KIND.get(service_type, '')}",
    }
    if service_type == ServiceType.ENTITY:
        msg = _("%(n)s is a service number; the entity number is %(e)s.")
    elif parsed.service_type == ServiceType.ENTITY:
        msg = _("%(n)s is the entity number; %(t)s needs its own service number, like %(w)s.")
    else:
        params["s"] = f"{parsed.service_seq}{_TYPE_TO_KIND[parsed.service_type]}"
        params["a"] = labels[parsed.service_type]
        msg = _("The suffix -%(s)s marks %(a)s, but this service is %(t)s, numbered like %(w)s.")
    problems.append(msg % params)
    return problems
