"""Actions on a WeChat mini-program from its connector section: start a face-verification task
for the responsible person, record the certification annual review as done."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..errors import ConnectorError
from ..wechat import services
from ._common import or_404, run_service


def _back(miniprogram_id: int) -> HttpResponse:
    return redirect(
        reverse("dashboard:miniprogram_detail", args=[miniprogram_id]) + "#service-connector"
    )


@login_required
@require_POST
def face_task_start(request: HttpRequest, link_id: int) -> HttpResponse:
    link = or_404(selectors.link_get_for_user, user=request.user, link_id=link_id)
    miniprogram = link.miniprogram
    if miniprogram is None or link.account.kind != "wechat":
        raise Http404(_("Not found."))
    along = request.POST.get("along_with_auth") == "1"

    def start():
        try:
            return services.face_task_create(
                user=request.user,
                account=link.account,
                miniprogram=miniprogram,
                along_with_auth=along,
            )
        except ConnectorError as exc:
            messages.error(request, exc.message)
            return None

    task = run_service(request, start)
    if task is not None:
        messages.success(
            request,
            _("Face-verification task created; the responsible person must finish it by %(at)s.")
            % {"at": timezone.localtime(task.expires_at).strftime("%Y-%m-%d %H:%M")},
        )
    return _back(miniprogram.pk)


@login_required
@require_POST
def review_renewed(request: HttpRequest, review_id: int) -> HttpResponse:
    review = or_404(
        selectors.certification_review_get_for_user, user=request.user, review_id=review_id
    )
    try:
        renewed_on = datetime.date.fromisoformat(request.POST.get("renewed_on", ""))
    except ValueError:
        messages.error(request, _("Enter the date the annual review was done (YYYY-MM-DD)."))
        return _back(review.miniprogram_id)
    if run_service(
        request,
        lambda: services.certification_review_renewed(
            user=request.user, review=review, renewed_on=renewed_on
        ),
    ):
        messages.success(request, _("Certification annual review recorded as done."))
    return _back(review.miniprogram_id)
