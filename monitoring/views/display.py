"""Pages of the display checker: the monitoring page, Check now, evidence, CSV, settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import can_manage_organization, organization_list_for_user
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import PermissionDeniedError
from miniprograms.models import Domain
from monitoring.display import selectors, services
from monitoring.display.export import check_csv_rows
from monitoring.models import DisplayCheck, MonitoringSettings


def _check_or_404(request, check_id: int) -> DisplayCheck:
    try:
        return selectors.check_get_for_user(user=request.user, check_id=check_id)
    except DisplayCheck.DoesNotExist:
        raise Http404 from None


def _organization_param(request) -> int | None:
    raw = request.GET.get("organization", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not organization_list_for_user(
        user=request.user
    ).filter(pk=raw):
        raise Http404
    return int(raw)


@login_required
@require_GET
def overview(request):
    organization_id = _organization_param(request)
    organizations = list(organization_list_for_user(user=request.user))
    context = selectors.monitoring_overview(user=request.user, organization_id=organization_id)
    managed = [o for o in organizations if can_manage_organization(request.user, o.pk)]
    return render(
        request,
        "monitoring/index.html",
        {
            **context,
            "organizations": organizations,
            "organization_id": organization_id,
            "managed": managed,
        },
    )


@login_required
@require_GET
def checks_csv(request):
    organization_id = _organization_param(request)
    checks = selectors.check_list_for_user(user=request.user).filter(status="done")
    if organization_id is not None:
        checks = checks.filter(organization_id=organization_id)
    record_event(
        AccessAction.EXPORTED,
        actor=request.user,
        request=request,
        detail={"resource": "display_checks", "organization": organization_id},
    )
    response = StreamingHttpResponse(
        check_csv_rows(checks.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="display-checks-{stamp}.csv"'
    return response


@login_required
@require_POST
def check_now(request, domain_id: int):
    try:
        domain = selectors.domain_get_for_user(user=request.user, domain_id=domain_id)
    except Domain.DoesNotExist:
        raise Http404 from None
    try:
        services.display_check_request(user=request.user, domain=domain)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except services.CheckerOffError as e:
        messages.error(request, e.message)
        return redirect(reverse("dashboard:domain_detail", args=[domain.pk]) + "#display")
    messages.success(request, _("The check is queued; its result appears here in a minute."))
    return redirect(reverse("dashboard:domain_detail", args=[domain.pk]) + "#display")


@login_required
@require_GET
def check_html(request, check_id: int):
    """The page as fetched, as a download (never rendered in our origin)."""
    check = _check_or_404(request, check_id)
    body = check.html_bytes
    if not body:
        raise Http404
    record_event(
        AccessAction.DOCUMENT_DOWNLOADED,
        actor=request.user,
        target=check,
        request=request,
        detail={"evidence": "display_html", "domain": check.domain.name},
    )
    response = HttpResponse(body, content_type="application/octet-stream")
    stamp = check.finished_at.strftime("%Y%m%d-%H%M") if check.finished_at else check.pk
    response["Content-Disposition"] = f'attachment; filename="{check.domain.name}-{stamp}.html"'
    return response


@login_required
@require_GET
def check_screenshot(request, check_id: int):
    check = _check_or_404(request, check_id)
    if not check.screenshot:
        raise Http404
    try:
        handle = check.screenshot.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_event(
        AccessAction.DOCUMENT_DOWNLOADED,
        actor=request.user,
        target=check,
        request=request,
        detail={"evidence": "display_screenshot", "domain": check.domain.name},
    )
    return FileResponse(handle, content_type="image/png")


class SettingsForm(forms.Form):
    display_cadence_days = forms.IntegerField(
        label=gettext_lazy("Check each website every (days)"), min_value=1, max_value=90
    )
    display_enabled = forms.BooleanField(
        label=gettext_lazy("Check websites' display"), required=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, organization_id: int):
    organization = organization_list_for_user(user=request.user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    if not can_manage_organization(request.user, organization_id):
        raise PermissionDenied(_("Only the organization's managers change its monitoring."))
    row = MonitoringSettings.objects.filter(organization_id=organization_id).first()
    initial = {
        "display_cadence_days": row.display_cadence_days if row else 7,
        "display_enabled": row.display_enabled if row else True,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_settings_update(
                user=request.user,
                organization_id=organization_id,
                cadence_days=form.cleaned_data["display_cadence_days"],
                enabled=form.cleaned_data["display_enabled"],
            )
        except PermissionDeniedError as e:
            raise PermissionDenied(e.message) from None
        messages.success(request, _("Monitoring settings saved."))
        return redirect(reverse("monitoring:index") + f"?organization={organization_id}")
    return render(
        request,
        "dashboard/form.html",
        {
            "form": form,
            "title": _("Monitoring of %(organization)s") % {"organization": organization.name},
            "cancel": reverse("monitoring:index"),
        },
        status=400 if request.method == "POST" else 200,
    )
