from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiniprogramsConfig(AppConfig):
    name = "miniprograms"
    verbose_name = _("Register: operators, mini-programs and domains")
