"""Number checker: paste a filing, licence or public-security number, see its parts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from icp.numbers import ICP_QUERY_URL, NumberError, NumberFamily, ServiceType, parse_number

from ..forms import NumberCheckForm

FAMILY_LABELS = {
    NumberFamily.FILING: _("ICP filing number (ICP备案号)"),
    NumberFamily.ICP_LICENCE: _("ICP commercial licence, Beijing style (ICP证)"),
    NumberFamily.B_LICENCE: _("Value-added telecoms licence (增值电信业务经营许可证)"),
    NumberFamily.PSB: _("Public-security filing number (公安联网备案号)"),
}
SERVICE_LABELS = {
    ServiceType.ENTITY: _("Entity (主体) number"),
    ServiceType.WEBSITE: _("Website"),
    ServiceType.APP: _("App"),
    ServiceType.MINIPROGRAM: _("Mini-program"),
    ServiceType.QUICKAPP: _("Quick app"),
}


def check_number(text: str, *, lenient: bool) -> dict:
    try:
        parsed = parse_number(text, lenient=lenient)
    except NumberError as e:
        return {"error": e.message, "code": e.code}
    province = parsed.province
    return {
        "parsed": parsed,
        "family_label": FAMILY_LABELS[parsed.family],
        "service_label": SERVICE_LABELS.get(parsed.service_type) if parsed.service_type else "",
        "province": province,
    }


@login_required
def number_checker(request):
    form = NumberCheckForm(request.GET or None)
    result = None
    lenient = request.GET.get("lenient") == "1"
    if form.is_bound and form.is_valid():
        result = check_number(form.cleaned_data["number"], lenient=lenient)
    context = {"form": form, "result": result, "lenient": lenient, "query_url": ICP_QUERY_URL}
    if request.htmx:
        return render(request, "dashboard/partials/number_result.html", context)
    return render(request, "dashboard/number_checker.html", context)
