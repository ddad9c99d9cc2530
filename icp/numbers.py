"""Parse and validate ICP filing, ICP licence and public-security numbers (domain.md §1).

Accepted shapes (after normalising):
  filing       粤ICP备2024286477号, 沪ICP备13002172号-3, 陕ICP备2024026116号-1A
  icp_licence  京ICP证030173号, 京ICP证030173号-1
  b_licence    粤B2-20090059, 皖B1.B2-20070020, A2.B1.B2-20202637, 粤A2-20044005号,
               B2-20080101, 合字B2-20090007 (foreign-invested, no province), 粤B2-20090059-1626X
  psb          京公网安备11010802020088号 (号 optional)

Each shape is split with a deliberately loose regex and then checked part by part, so that a
rejection can say exactly which part is wrong. NumberError.code is one of: empty, label,
several_numbers, missing_province, unknown_province, wrong_keyword, bad_format, serial_length,
missing_hao, hao_misplaced, bad_suffix, unknown_licence_class, duplicate_licence_class,
psb_province_mismatch, not_an_icp_number.

Numbers inside free text (a footer) are found by `icp.number_search.find_numbers`.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icp.provinces import Province, province_by_code

from .number_checks import check_for_service
from .number_parts import (
    FOREIGN_PREFIX,
    ICP_QUERY_URL,
    KIND_TO_TYPE,
    NumberError,
    NumberFamily,
    ParsedNumber,
    ServiceType,
    beijing_today,
    future_year_warnings,
    licence_classes,
    normalize,
    number_error,
    optional_province,
    province_part,
    province_warnings,
    service_suffix,
)
from .number_scan import label_error

__all__ = [
    "ICP_QUERY_URL",
    "NumberError",
    "NumberFamily",
    "ParsedNumber",
    "ServiceType",
    "check_for_service",
    "normalize",
    "parse_number",
]

_SERVICE = r"(?:-(?P<seq>\d*)(?P<kind>[A-Z]*))?(?P<tail>.*)"
_ICP_RE = re.compile(rf"^(?P<prov>.*?)ICP(?P<kw>备案|备|证|)(?P<serial>\d*)(?P<hao>号?){_SERVICE}$")
_PSB_RE = re.compile(r"^(?P<prov>.*?)公网安备(?P<code>\d*)号?$")
_B_RE = re.compile(
    rf"^(?P<prov>\D*?)(?P<cls>[A-Z]\d(?:\.[A-Z]\d)*)-(?P<serial>\d+)(?P<hao>号?){_SERVICE}$"
)
# 2003-catalogue style, e.g. 辽B-2-4-20080039 (class B2, item 4); still printed on old footers.
_B_OLD_RE = re.compile(
    r"^(?P<prov>\D?)(?P<cls>B)-(?P<sub>[12])-(?P<item>\d)-(?P<serial>(?:19|20)\d{6})号?$"
)

# Footer numbers that look official but are not ICP numbers: say what they are instead.
_NOT_ICP = (
    (re.compile(r"网文"), gettext_lazy("an online culture operating licence (网络文化经营许可证)")),
    (
        re.compile(r"网出证|新出网证"),
        gettext_lazy("an online publishing licence (网络出版服务许可证)"),
    ),
    (
        re.compile(r"^\(.\)-(?:非)?经营性-"),
        gettext_lazy("an internet drug information certificate"),
    ),
    (re.compile(r"^\D?D1-"), gettext_lazy("a domain root server operator licence (class D1)")),
    (re.compile(r"^\D?D2-"), gettext_lazy("a domain registry licence (class D2)")),
    (re.compile(r"^\D?D3-"), gettext_lazy("a domain-name registrar licence (class D3)")),
)


def parse_number(
    text: str, *, lenient: bool = False, today: datetime.date | None = None
) -> ParsedNumber:
    """Parse one number; raise NumberError with a sentence a person can act on.

    lenient accepts the malformed forms seen on real pages (号 missing, or placed after the
    service suffix) and marks the result needs_review. today (default: today in Beijing)
    decides which serial years lie in the future and so need review.
    """
    t = normalize(text)
    if not t:
        raise number_error(
            "empty", _("The number is empty; enter it as shown on the filing record.")
        )
    if error := label_error(text):
        raise error
    for pattern, what in _NOT_ICP:
        if pattern.search(t):
            raise number_error(
                "not_an_icp_number",
                _("%(n)s is %(what)s, not an ICP number; ICP numbers look like %(ex)s."),
                n=t,
                what=what,
                ex="粤ICP备2024286477号, 京ICP证030173号, 粤B2-20090059",
            )
    return _parse_normalized(t, lenient=lenient, today=today or beijing_today())


def _parse_normalized(t: str, *, lenient: bool, today: datetime.date) -> ParsedNumber:
    if m := _PSB_RE.match(t):
        return _parse_psb(m)
    if m := _ICP_RE.match(t):
        return _parse_icp(t, m, lenient=lenient, today=today)
    if m := _B_OLD_RE.match(t):
        return _parse_b_old(t, m, today=today)
    if m := _B_RE.match(t):
        return _parse_b(t, m, lenient=lenient, today=today)
    raise number_error(
        "bad_format",
        _(
            "%(n)s is not a recognised number; expected a filing number like "
            "粤ICP备2024286477号-1, a licence like 京ICP证030173号 or 粤B2-20090059, "
            "or 京公网安备11010802020088号."
        ),
        n=t,
    )


def _build(
    family: NumberFamily,
    prov: Province | None,
    ch: str,
    entity: str,
    serial: str,
    suffix: tuple[int | None, str],
    warnings: list[str],
    *,
    year: int | None,
    licence_class: str | None = None,
    classes: tuple[str, ...] = (),
    foreign_invested: bool = False,
) -> ParsedNumber:
    seq, kind = suffix
    return ParsedNumber(
        family=family,
        normalized=entity + (f"-{seq}{kind}" if seq else ""),
        province_code=prov.code if prov else None,
        province_char=ch or None,
        entity_number=entity,
        entity_serial=serial,
        service_seq=seq,
        service_type=KIND_TO_TYPE[kind] if seq else ServiceType.ENTITY,
        licence_class=licence_class,
        year=year,
        needs_review=bool(warnings),
        warnings=tuple(warnings),
        licence_classes=classes,
        foreign_invested=foreign_invested,
    )


def _check_icp_serial(kw: str, serial: str) -> None:
    """The keyword after ICP and the serial's length; ICP证 has 6 digits, ICP备 8 or 10."""
    if kw == "备案":
        raise number_error(
            "wrong_keyword",
            _("Write '备', not '备案', after 'ICP', as in 粤ICP备2024286477号."),
        )
    if not kw:
        raise number_error(
            "bad_format", _("'ICP' must be followed by '备' (filing) or '证' (licence).")
        )
    if not serial:
        raise number_error(
            "bad_format", _("The serial digits after 'ICP%(kw)s' are missing."), kw=kw
        )
    if kw == "证" and len(serial) != 6:
        raise number_error(
            "serial_length",
            _("ICP licence (ICP证) serials have 6 digits; '%(s)s' has %(n)d."),
            s=serial,
            n=len(serial),
        )
    if kw == "备" and not 6 <= len(serial) <= 10:
        raise number_error(
            "serial_length",
            _("Filing serials have 8 digits (older) or 10 (since about 2020); '%(s)s' has %(n)d."),
            s=serial,
            n=len(serial),
        )


def _filing_year(serial: str, warnings: list[str], today: datetime.date) -> int | None:
    """The year a filing serial starts with (YYYY+6 or YY+6); a future year needs review."""
    if len(serial) == 10 and serial[:2] in ("19", "20"):
        year = int(serial[:4])
    elif len(serial) == 8:
        # 8-digit serials start with a two-digit year; filing began in the late 1990s at most.
        year = int(serial[:2]) + (1900 if serial[:2] >= "90" else 2000)
    else:
        msg = _("The serial %(s)s has an unusual length or year; verify it at %(url)s.")
        warnings.append(msg % {"s": serial, "url": ICP_QUERY_URL})
        return None
    warnings.extend(future_year_warnings(serial, year, today))
    return year


def _parse_icp(t: str, m: re.Match[str], *, lenient: bool, today: datetime.date) -> ParsedNumber:
    prov = province_part(m["prov"])
    warnings = province_warnings(m["prov"], prov)
    kw, serial = m["kw"], m["serial"]
    _check_icp_serial(kw, serial)
    year = _filing_year(serial, warnings, today) if kw == "备" else None
    family = NumberFamily.ICP_LICENCE if kw == "证" else NumberFamily.FILING
    entity = f"{m['prov']}ICP{kw}{serial}号"
    suffix = service_suffix(m, t, entity, warnings, lenient=lenient, hao_optional=False)
    return _build(family, prov, m["prov"], entity, serial, suffix, warnings, year=year)


def _parse_b_old(t: str, m: re.Match[str], *, today: datetime.date) -> ParsedNumber:
    prov = optional_province(m["prov"])
    serial, year = m["serial"], int(m["serial"][:4])
    msg = _("%(n)s is an old-style licence number; confirm it is still valid.")
    warnings = [*province_warnings(m["prov"], prov), msg % {"n": t}]
    warnings.extend(future_year_warnings(serial, year, today))
    cls = f"B{m['sub']}"
    return _build(NumberFamily.B_LICENCE, prov, m["prov"], t, serial, (None, ""), warnings,
                  year=year, licence_class=cls, classes=(cls,))  # fmt: skip


def _parse_b(t: str, m: re.Match[str], *, lenient: bool, today: datetime.date) -> ParsedNumber:
    foreign = m["prov"] == FOREIGN_PREFIX
    prov = None if foreign else optional_province(m["prov"])
    warnings = province_warnings(m["prov"], prov)
    cls, serial = m["cls"], m["serial"]
    classes = licence_classes(cls)
    if len(serial) != 8 or serial[:2] not in ("19", "20"):
        raise number_error(
            "serial_length",
            _("After '%(c)s-' come 8 digits, the year and a 4-digit serial; not '%(s)s'."),
            c=cls,
            s=serial,
        )
    if not prov and not foreign:
        warnings.append(_("No province prefix; confirm this is a cross-regional MIIT licence."))
    year = int(serial[:4])
    warnings.extend(future_year_warnings(serial, year, today))
    entity = f"{m['prov']}{cls}-{serial}"
    suffix = service_suffix(m, t, entity, warnings, lenient=lenient, hao_optional=True)
    ch = "" if foreign else m["prov"]
    return _build(NumberFamily.B_LICENCE, prov, ch, entity, serial, suffix, warnings, year=year,
                  licence_class=cls, classes=classes, foreign_invested=foreign)  # fmt: skip


def _parse_psb(m: re.Match[str]) -> ParsedNumber:
    prov = province_part(m["prov"])
    code = m["code"]
    if len(code) != 14:
        raise number_error(
            "serial_length",
            _("Public-security numbers have 14 digits after '公网安备'; '%(c)s' has %(n)d."),
            c=code,
            n=len(code),
        )
    # The code starts with the filing bureau's region; only the first two digits are reliable.
    owner = province_by_code(code[:2] + "0000")
    if owner is None or owner.code != prov.code:
        where = f"{owner.name_zh} ({owner.icp_char})" if owner else _("no province")
        raise number_error(
            "psb_province_mismatch",
            _("The code %(c)s belongs to %(w)s, but the prefix '%(ch)s' means %(p)s; fix one."),
            c=code,
            w=where,
            ch=m["prov"],
            p=prov.name_zh,
        )
    normalized = f"{m['prov']}公网安备{code}号"
    return ParsedNumber(NumberFamily.PSB, normalized, prov.code, m["prov"], normalized, code)
