from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # The API and the exports (layers below) link to the same forms as the pages.
        from compliance.worklist import register_fix_linker

        from .fixes import fix_urls

        register_fix_linker(fix_urls)
