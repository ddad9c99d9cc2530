"""Pages of connector accounts: list, create, detail, edit, delete, check, sync now, runs.

Thin: reads through connectors.selectors, writes through connectors.services. Credentials
are only ever shown masked (connectors.credentials.masked).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import can_manage_organization, member_managed_organization_list
from accounts.switcher import current_organization_id

from .. import registry, selectors, services
from ..credentials import masked
from ..forms import AccountForm, LinkCreateForm, LinkExistingForm
from ..models import ConnectorAccount
from ._common import or_404, run_service

RUNS_PAGE_SIZE = 50


def _account(request: HttpRequest, account_id: int) -> ConnectorAccount:
    return or_404(selectors.account_get_for_user, user=request.user, account_id=account_id)


def _detail_url(account: ConnectorAccount) -> str:
    return reverse("connectors:detail", args=[account.pk])


def push_urls(request: HttpRequest, account: ConnectorAccount) -> dict[str, str]:
    """The URLs to register at the vendor (kinds that receive pushes)."""
    if not registry.get(account.kind).has_push:
        return {}
    base = f"/connectors/{account.kind}/{account.push_key}"
    return {
        "events": request.build_absolute_uri(f"{base}/events/"),
        "messages": request.build_absolute_uri(f"{base}/messages/") + "$APPID$/",
    }


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.account_list_for_user(user=request.user)
    org_id = current_organization_id(request)
    if org_id:
        qs = qs.filter(organization_id=org_id)
    rows = [{"account": a, "kind": _kind_label(a.kind)} for a in qs]
    return render(
        request,
        "connectors/list.html",
        {
            "rows": rows,
            "can_create": member_managed_organization_list(user=request.user).exists(),
        },
    )


def _kind_label(code: str) -> str:
    try:
        return str(registry.get(code).label)
    except KeyError:
        return code


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    organizations = member_managed_organization_list(user=request.user).order_by("name")
    if not organizations.exists():
        raise PermissionDenied(_("Only the organization's managers can set up connectors."))
    code = request.GET.get("kind") or request.POST.get("kind") or ""
    try:
        kind = registry.get(code)
    except KeyError:
        return render(request, "connectors/choose_kind.html", {"kinds": registry.kinds()})
    form = AccountForm(
        request.POST or None, kind=kind, user=request.user, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        account = run_service(
            request,
            lambda: services.account_create(
                user=request.user, kind=kind.code, **form.service_fields()
            ),
            form,
        )
        if account is not None:
            messages.success(request, _("Connector saved. Check its credentials next."))
            return redirect(_detail_url(account))
    return render(
        request,
        "connectors/form.html",
        {"form": form, "kind": kind, "account": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    links = list(selectors.link_list_for_user(user=request.user).filter(account=account)[:200])
    can_manage = can_manage_organization(request.user, account.organization_id)
    return render(
        request,
        "connectors/detail.html",
        {
            "account": account,
            "kind_label": _kind_label(account.kind),
            "credentials": _masked_rows(account),
            "push_urls": push_urls(request, account),
            "runs": selectors.account_runs(account)[: selectors.RECENT_RUNS],
            "links": links,
            "findings": selectors.finding_list_for_user(user=request.user, open_only=True).filter(
                account=account
            )[:100],
            "can_manage": can_manage,
        },
    )


def _masked_rows(account: ConnectorAccount) -> list[tuple[str, str]]:
    values = masked(account)
    try:
        fields = registry.get(account.kind).credential_fields
    except KeyError:
        return []
    return [(str(f.label), values.get(f.name, "")) for f in fields]


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    if not can_manage_organization(request.user, account.organization_id):
        raise PermissionDenied(_("Only the organization's managers can change this."))
    try:
        kind = registry.get(account.kind)
    except KeyError:
        raise Http404 from None
    stored = frozenset(k for k, v in account.credential_values().items() if v)
    initial = {
        "name": account.name,
        "cadence_minutes": account.cadence_minutes,
        "enabled": account.enabled,
        "operator": account.operator_id,
    }
    form = AccountForm(
        request.POST or None,
        initial=initial,
        kind=kind,
        user=request.user,
        organizations=None,
        editing=True,
        stored=stored,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        saved = run_service(
            request,
            lambda: services.account_update(user=request.user, account=account, **fields),
            form,
        )
        if saved is not None:
            messages.success(request, _("Connector saved."))
            return redirect(_detail_url(saved))
    return render(
        request,
        "connectors/form.html",
        {"form": form, "kind": kind, "account": account},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    if not can_manage_organization(request.user, account.organization_id):
        raise PermissionDenied(_("Only the organization's managers can change this."))
    if request.method == "POST":
        done = run_service(
            request, lambda: services.account_delete(user=request.user, account=account) or True
        )
        if done:
            messages.success(request, _("Connector deleted."))
            return redirect("connectors:list")
    return render(request, "connectors/delete.html", {"account": account})


@login_required
@require_POST
def account_check(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    result = run_service(
        request, lambda: services.check_credentials(user=request.user, account=account)
    )
    if result is not None:
        ok, message = result
        if ok:
            messages.success(request, _("Credentials accepted: %(message)s") % {"message": message})
        else:
            messages.error(
                request, _("Credentials check failed: %(message)s") % {"message": message}
            )
    return redirect(_detail_url(account))


@login_required
@require_POST
def account_sync(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    queued = run_service(
        request, lambda: services.sync_now(user=request.user, account=account) or True
    )
    if queued:
        messages.success(request, _("Sync queued; its run appears below when it starts."))
    return redirect(_detail_url(account))


@login_required
@require_GET
def run_list(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(request, account_id)
    page = Paginator(selectors.account_runs(account), RUNS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "connectors/runs.html", {"account": account, "page_obj": page})


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = or_404(selectors.run_get_for_user, user=request.user, run_id=run_id)
    return render(request, "connectors/run_detail.html", {"run": run, "account": run.account})


@login_required
@require_http_methods(["GET", "POST"])
def link_action(request: HttpRequest, link_id: int) -> HttpResponse:
    """Link a vendor object to a register row, or create the missing mini-program."""
    link = or_404(selectors.link_get_for_user, user=request.user, link_id=link_id)
    account = link.account
    if not can_manage_organization(request.user, account.organization_id):
        raise PermissionDenied(_("Only the organization's managers can change this."))
    action = request.POST.get("action", "")
    data = request.POST if request.method == "POST" else None
    existing = LinkExistingForm(
        data if action == "link" else None,
        user=request.user,
        organization_id=account.organization_id,
    )
    create = LinkCreateForm(
        data if action == "create" else None,
        user=request.user,
        organization_id=account.organization_id,
        initial={"name": link.label},
    )
    if action == "link" and existing.is_valid():
        mp = existing.cleaned_data["miniprogram"]
        if run_service(
            request,
            lambda: services.link_object(user=request.user, link=link, miniprogram=mp),
            existing,
        ):
            messages.success(request, _("Linked; the next sync applies the vendor's state."))
            return redirect(_detail_url(account))
    made = None
    if action == "create" and create.is_valid():
        made = run_service(
            request,
            lambda: services.create_from_link(
                user=request.user,
                link=link,
                operator=create.cleaned_data["operator"],
                name=create.cleaned_data["name"],
            ),
            create,
        )
    if made is not None:
        messages.success(
            request, _("Added to the register; the next sync applies the vendor's state.")
        )
        return redirect(_detail_url(account))
    return render(
        request,
        "connectors/link.html",
        {"link": link, "account": account, "existing": existing, "create": create},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def finding_resolve(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = or_404(selectors.finding_get_for_user, user=request.user, finding_id=finding_id)
    if run_service(request, lambda: services.finding_resolve(user=request.user, finding=finding)):
        messages.success(request, _("Finding resolved."))
    return redirect(_detail_url(finding.account))
