"""Does a parsed number fit the service it is recorded on (province and service type)?"""

from __future__ import annotations

from django.utils.translation import gettext as _

from icp.provinces import province_by_code

from .number_parts import ICP_QUERY_URL, TYPE_TO_KIND, NumberFamily, ParsedNumber, ServiceType


def _service_labels() -> dict[ServiceType, str]:
    return {
        ServiceType.ENTITY: _("an entity"),
        ServiceType.WEBSITE: _("a website"),
        ServiceType.APP: _("an app"),
        ServiceType.MINIPROGRAM: _("a mini-program"),
        ServiceType.QUICKAPP: _("a quick app"),
    }


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
    if parsed.service_type != service_type:
        problems.append(_service_type_problem(parsed, service_type))
    return problems


def _service_type_problem(parsed: ParsedNumber, service_type: ServiceType) -> str:
    labels = _service_labels()
    params = {
        "n": parsed.normalized,
        "e": parsed.entity_number,
        "t": labels[service_type],
        "w": f"{parsed.entity_number}-N{TYPE_TO_KIND.get(service_type, '')}",
    }
    if service_type == ServiceType.ENTITY:
        msg = _("%(n)s is a service number; the entity number is %(e)s.")
    elif parsed.service_type is None or parsed.service_type == ServiceType.ENTITY:
        msg = _("%(n)s is the entity number; %(t)s needs its own service number, like %(w)s.")
    else:
        params["s"] = f"{parsed.service_seq}{TYPE_TO_KIND[parsed.service_type]}"
        params["a"] = labels[parsed.service_type]
        msg = _("The suffix -%(s)s marks %(a)s, but this service is %(t)s, numbered like %(w)s.")
    return msg % params
