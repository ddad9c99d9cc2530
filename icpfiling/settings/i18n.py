"""Languages and time."""

from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR

LANGUAGE_CODE = "en"
# drf-spectacular names this choice set LanguageEnum (see api.py).
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Regulatory dates are Beijing dates.
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
