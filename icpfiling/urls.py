from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from notifications.views import calendar_feed


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the pages link: send them to the static one."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static_url("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("icpfiling.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reports/imports/", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.page_urls")),
    path("", include("dashboard.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
