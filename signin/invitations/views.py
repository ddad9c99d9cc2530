"""Invitation pages: managers invite, list and revoke; the invitee opens the link and signs in
with a provider the organization allows, or chooses a username and password where it allows
passwords. A used, revoked or expired link is a 410 page and changes nothing."""

from __future__ import annotations

from typing import Any

from allauth.account.utils import perform_login
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import member_managed_organization_list
from core.exceptions import ApplicationError
from signin.models import Invitation, InvitationState

from . import services
from .forms import AcceptWithPasswordForm, InvitationForm
from .selectors import invitation_for_token, invitation_list_for_user


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, error)


@login_required
@never_cache
def invitation_list(request: HttpRequest) -> HttpResponse:
    organizations = member_managed_organization_list(user=request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Only an organization's managers can invite people."))
    form = InvitationForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = services.invitation_create(
                user=request.user,
                organization=data["organization"],
                email=data["email"],
                role=data["role"],
                limited_to_assigned=data["limited_to_assigned"],
                request=request,
            )
        except ValidationError as e:
            _form_errors(form, e)
        except ApplicationError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitations:list")
    invitations = invitation_list_for_user(user=request.user)[:200]
    status = 400 if form.errors else 200
    return render(
        request,
        "signin/invitations/list.html",
        {
            "form": form,
            "invitations": invitations,
            "pending": InvitationState.PENDING,
            "invitation_days": settings.SIGNIN_INVITATION_DAYS,
        },
        status=status,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_list_for_user(user=request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404  # not found and not yours look the same
    try:
        services.invitation_revoke(user=request.user, invitation=invitation, request=request)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Invitation revoked."))
    return redirect("invitations:list")


def _offered_providers(request: HttpRequest, invitation: Invitation) -> list[Any]:
    """The providers configured here that the invitation's organization allows."""
    allowed = set(invitation.organization.sso_providers or [])
    providers = get_social_adapter().list_providers(request)
    return [p for p in providers if p.sub_id in allowed]


def _start_sso(request: HttpRequest, invitation: Invitation, providers: list[Any]) -> HttpResponse:
    chosen = [p for p in providers if p.sub_id == request.POST["provider"]]
    if not chosen:
        raise Http404
    # The provider sends the invitee back to allauth's callback; the invitation rides in
    # allauth's state (kept in this session), where signin.sso.adapter finds it.
    return chosen[0].redirect(
        request,
        process=AuthProcess.LOGIN,
        next_url=reverse("dashboard:overview"),
        data={"invitation": invitation.pk},
    )


def _accept_with_password(
    request: HttpRequest, token: str, form: AcceptWithPasswordForm
) -> HttpResponse | None:
    """The new account signed in, or None with the form's errors set."""
    try:
        member = services.invitation_accept_with_password(
            token=token,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            request=request,
        )
    except ValidationError as e:
        _form_errors(form, e)
        return None
    except ApplicationError as e:
        form.add_error(None, e.message)
        return None
    return perform_login(
        request, member, email_verification="none", redirect_url=reverse("dashboard:overview")
    )


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if invitation is None:
        raise Http404
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    if invitation.state != InvitationState.PENDING:
        return render(request, "signin/invitations/unusable.html", context, status=410)
    if request.user.is_authenticated:
        return render(request, "signin/invitations/signed_in.html", context, status=409)
    providers = _offered_providers(request, invitation)
    if request.method == "POST" and "provider" in request.POST:
        return _start_sso(request, invitation, providers)
    passwords = invitation.organization.password_sign_in
    form = AcceptWithPasswordForm(request.POST or None) if passwords else None
    if request.method == "POST" and form is not None and form.is_valid():
        signed_in = _accept_with_password(request, token, form)
        if signed_in is not None:
            return signed_in
    context |= {"providers": providers, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "signin/invitations/accept.html", context, status=status)
