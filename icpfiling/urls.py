from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.generic import RedirectView

from accounts.views import set_language
from core.api_docs import SchemaView, SwaggerView
from notifications.views import calendar_feed


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the pages link: send them to the static one."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static_url("favicon.ico")


# The admin's titles name the product (translated like every other page).
admin.site.site_header = _("ICP filing tracker: administration")
admin.site.site_title = _("ICP filing tracker")
admin.site.index_title = _("Register, compliance and notifications")
# Django 5.2's admin uses these without a Simplified Chinese translation: ours fills the gap.
DJANGO_ADMIN_MSGIDS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]

urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("icpfiling.api_urls")),
    # Signed-in users only unless API_DOCS_PUBLIC (core/api_docs.py).
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="api-docs"),
    # Redoc needs inline styles and a CDN (Content Security Policy): Swagger UI instead.
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs"), name="api-redoc"),
    # The header switch also saves the choice on the signed-in user.
    path("i18n/setlang/", set_language, name="set_language"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("accounts/tokens/", include("tokens.urls")),
    path("accounts/", include("accounts.urls")),
    path("invitations/", include("signin.invitations.urls")),
    path("accounts/", include("allauth.urls")),  # sign-in, password, two-factor, SSO
    path("sign-in-policy/", include("signin.urls")),  # an organization's, for its managers
    path("reports/imports/", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("documents/", include("documents.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("connectors/", include("connectors.urls")),
    path("notifications/", include("notifications.page_urls")),
    path("connectors/wechat/", include("connectors.wechat.urls")),
    path("", include("dashboard.urls")),
]
# 503 when the database is down, else 500; JSON under /api/ (core/errors.py).
handler500 = "core.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
