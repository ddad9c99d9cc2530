"""What every connector page shares: scoped lookups (missing and not-yours are both 404) and
service refusals turned into 403s, form errors or messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, PermissionDeniedError

T = TypeVar("T")


def or_404(getter: Callable[..., T], **kwargs: Any) -> T:
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404(_("Not found.")) from None


def attach(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else f"cred_{field}"
            for e in errors:
                form.add_error(target if target in form.fields else None, e)
    else:
        form.add_error(None, error)


def run_service(request: HttpRequest, call: Callable[[], T], form: Any = None) -> T | None:
    """The service's result, or None after showing its refusal (a 403 for a role refusal)."""
    try:
        return call()
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except ValidationError as e:
        if form is not None:
            attach(form, e)
        else:
            messages.error(request, " ".join(e.messages))
    except ApplicationError as e:
        messages.error(request, e.message)
    return None
