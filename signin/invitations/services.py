"""Writes for invitations: send, revoke, accept (with a provider identity or a password)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import ensure_can_manage_organization, membership_cache_clear
from accounts.models import Membership, Organization, Role, User
from accounts.types import User as AnyUser
from audit import services as audit
from audit.actions import AccessAction
from core.exceptions import ApplicationError
from signin.models import Invitation, InvitationState

EMAIL_LANGUAGES = ("zh-hans", "en")  # the invitee has no account yet: both languages


def _signed_in(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


class InvitationUnusableError(ApplicationError):
    """The link was used, revoked or has expired (or never existed)."""

    status_code = 410


def token_hash(token: str) -> str:
    """What is stored of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str, request: HttpRequest | None = None) -> str:
    """The link an invitee opens (absolute when a request tells the host)."""
    path = reverse("invitations:accept", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else path


@transaction.atomic
def invitation_create(
    *,
    user: AnyUser,
    organization: Organization,
    email: str,
    role: str,
    limited_to_assigned: bool = False,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite an e-mail address into the organization with a role (its managers); e-mails
    the link. Returns the invitation and its token (the link is not stored, only a hash).
    """
    ensure_can_manage_organization(user, organization.pk)
    email = get_account_adapter().clean_email(email.strip())
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise ApplicationError(
            _(
                "An account with this e-mail address already exists: an administrator adds it "
                "to the organization instead."
            )
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        limited_to_assigned=limited_to_assigned or role == Role.CLIENT,
        token_hash=token_hash(token),
        expires_at=(now or timezone.now())
        + datetime.timedelta(days=settings.SIGNIN_INVITATION_DAYS),
        invited_by=_signed_in(user),
    )
    invitation.full_clean()
    invitation.save()
    _send(invitation, invitation_url(token, request))
    audit.record_event(
        AccessAction.INVITATION_SENT,
        actor=invitation.invited_by,
        organization=organization,
        target=invitation,
        request=request,
        detail={"email": email, "role": role},
    )
    return invitation, token


def _send(invitation: Invitation, url: str) -> None:
    """The invitation e-mail, in Chinese and English."""
    context = {"invitation": invitation, "url": url, "days": settings.SIGNIN_INVITATION_DAYS}
    subjects, bodies = [], []
    for language in EMAIL_LANGUAGES:
        with translation.override(language):
            subjects.append(
                _("Invitation to %(organization)s") % {"organization": invitation.organization.name}
            )
            bodies.append(render_to_string("signin/invitations/email.txt", context))
    send_mail(
        " / ".join(subjects),
        "\n\n---\n\n".join(bodies),
        None,
        [invitation.email],
    )


@transaction.atomic
def invitation_revoke(
    *, user: AnyUser, invitation: Invitation, request: HttpRequest | None = None
) -> Invitation:
    """Revoke a pending invitation: its link stops working (the organization's managers)."""
    ensure_can_manage_organization(user, invitation.organization_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != InvitationState.PENDING:
        raise ApplicationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record_event(
        AccessAction.INVITATION_REVOKED,
        actor=_signed_in(user),
        organization=invitation.organization,
        target=invitation,
        request=request,
        detail={"email": invitation.email},
    )
    return invitation


def _pending(**lookup: Any) -> Invitation:
    """The invitation, locked, if it can still be accepted."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").filter(**lookup)
    ).first()
    if invitation is None or invitation.state != InvitationState.PENDING:
        raise InvitationUnusableError(_("This invitation link is no longer valid."))
    email = invitation.email
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()  # e.g. a former address
    ):
        raise InvitationUnusableError(_("An account with this e-mail address already exists."))
    return invitation


def _accept(
    invitation: Invitation, member: User, request: HttpRequest | None, how: str
) -> Membership:
    EmailAddress.objects.create(user=member, email=invitation.email, primary=True, verified=True)
    membership = Membership(
        user=member,
        organization=invitation.organization,
        role=invitation.role,
        limited_to_assigned=invitation.limited_to_assigned,
    )
    membership.full_clean()
    membership.save()
    membership_cache_clear(member)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record_event(
        AccessAction.INVITATION_ACCEPTED,
        actor=member,
        organization=invitation.organization,
        target=invitation,
        request=request,
        detail={"role": invitation.role, "how": how},
    )
    return membership


def _new_user(invitation: Invitation, username: str) -> User:
    return User(
        username=username,
        email=invitation.email,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@transaction.atomic
def invitation_accept_with_identity(
    *, invitation_id: int, sociallogin: SocialLogin, request: HttpRequest
) -> User:
    """The invitee signed in with a provider the organization allows and whose identity is
    linked to nobody: a new account (the invited e-mail, no password), the identity linked to
    it, the invited membership.
    """
    invitation = _pending(pk=invitation_id)
    provider_id = sociallogin.account.provider
    if provider_id not in invitation.organization.sso_providers:
        raise InvitationUnusableError(_("The organization does not allow this provider."))
    # allauth filled a user from the provider's answer: its username and names seed ours; the
    # e-mail is the invited one, whatever the provider says.
    claimed = sociallogin.user
    seeds = [getattr(claimed, "username", ""), invitation.email, "user"]
    member = _new_user(invitation, get_account_adapter().generate_unique_username(seeds))
    member.first_name = getattr(claimed, "first_name", "") or ""
    member.last_name = getattr(claimed, "last_name", "") or ""
    member.set_unusable_password()
    sociallogin.user = member
    sociallogin.save(request, connect=True)  # the user, then the identity linked to it
    _accept(invitation, member, request, how=provider_id)
    audit.record_event(
        AccessAction.SSO_LINKED,
        actor=member,
        organization=invitation.organization,
        target=sociallogin.account,
        request=request,
        detail={"provider": provider_id, "uid": sociallogin.account.uid, "via": "invitation"},
    )
    return member


@transaction.atomic
def invitation_accept_with_password(
    *, token: str, username: str, password: str, request: HttpRequest | None = None
) -> User:
    """The invitee chose a username and password (where the organization allows passwords):
    a new account and the invited membership.
    """
    invitation = _pending(token_hash=token_hash(token))
    if not invitation.organization.password_sign_in:
        raise ApplicationError(
            _("%(organization)s signs its members in through single sign-on only.")
            % {"organization": invitation.organization.name}
        )
    adapter = get_account_adapter()
    try:
        username = adapter.clean_username(username)  # the validators, and not taken
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    member = _new_user(invitation, username)
    try:
        adapter.clean_password(password, user=member)  # AUTH_PASSWORD_VALIDATORS
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    member.set_password(password)
    member.save()
    _accept(invitation, member, request, how="password")
    return member
