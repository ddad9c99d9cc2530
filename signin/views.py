"""The sign-in policy page: an organization's managers choose two-factor and passwords."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import can_manage_organization, organization_list_for_user

from .forms import SignInPolicyForm
from .services import sign_in_policy_update


@login_required
def sign_in_policy(request: HttpRequest, pk: int) -> HttpResponse:
    """Show and save the organization's sign-in policy; another organization's is a 404."""
    organization = get_object_or_404(organization_list_for_user(user=request.user), pk=pk)
    if not can_manage_organization(request.user, organization.pk):
        raise Http404
    initial = {
        "require_two_factor": organization.require_two_factor,
        "password_sign_in": organization.password_sign_in,
    }
    form = SignInPolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_policy_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sign-in policy saved."))
            return redirect("signin:policy", pk=organization.pk)
    return render(request, "signin/policy.html", {"form": form, "organization": organization})
