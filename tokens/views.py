"""The "API tokens" page (linked from the profile): list, create (the key is shown once),
revoke one, revoke all."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import ensure_signed_in

from . import selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("What the token is for, e.g. the script that uses it."),
    )


def _page(
    request: HttpRequest, form: TokenForm, *, new_key: str = "", status: int = 200
) -> HttpResponse:
    user = ensure_signed_in(request.user)
    return render(
        request,
        "tokens/index.html",
        {
            "form": form,
            "tokens": selectors.token_list_for_user(user=user),
            "new_key": new_key,
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
        },
        status=status,
    )


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Shows the new key once, in this response; only its digest is stored."""
    user = ensure_signed_in(request.user)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    _token, key = services.token_create(
        user=user, name=form.cleaned_data["name"], request=request, via="page"
    )
    messages.success(request, _("API token created. Copy its key now: it is not shown again."))
    return _page(request, TokenForm(), new_key=key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = ensure_signed_in(request.user)
    token = selectors.token_for_user(user=user, token_id=token_id)
    services.token_revoke(user=user, token=token, request=request)
    messages.success(request, _("API token revoked."))
    return redirect("tokens:list")


@login_required
@require_POST
def token_revoke_all(request: HttpRequest) -> HttpResponse:
    user = ensure_signed_in(request.user)
    count = services.token_revoke_all(user=user, reason="revoked_all", actor=user, request=request)
    messages.success(request, _("All your API tokens were revoked (%(count)d).") % {"count": count})
    return redirect("tokens:list")
