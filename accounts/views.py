"""The person's own settings: name, e-mail and language (the one language of everything)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.access import ensure_signed_in
from accounts.language import supported
from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]
        help_texts = {
            "language": gettext_lazy(
                "Pages, e-mails, reminders, the calendar feed, reports and spreadsheets use it."
            )
        }


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = ensure_signed_in(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            services.user_profile_update(user=user, **form.cleaned_data)
            translation.activate(user.language)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": ProfileForm(instance=user)})


@require_POST
@transaction.atomic
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: saved on the signed-in user, then Django's own view
    (cookie for anonymous visitors, redirect to `next`)."""
    language = supported(request.POST.get("language"))
    if language is not None and request.user.is_authenticated:
        services.user_language_set(user=ensure_signed_in(request.user), language=language)
    return django_set_language(request)
