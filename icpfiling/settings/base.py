"""Settings shared by every environment; the other modules only override.

Everything that differs between machines comes from the environment (django-environ), read
only in this package. Each topic has its own module, imported here: environment (where the
settings come from), security, database, i18n, storage (static, media, e-mail), celery,
egress (outbound HTTP), notifications, reports, documents, limits, tokens (API tokens),
cache (shared: the sign-in rate limits count in it), signin (allauth, rate limits,
two-factor), sso, csp, sessions, audit. Importing settings has no side effects: folders the
filesystem broker needs are created by core.apps when Django starts.
"""

from .audit import *  # noqa: F403
from .cache import *  # noqa: F403
from .celery import *  # noqa: F403
from .compliance import *  # noqa: F403
from .connectors import *  # noqa: F403
from .csp import *  # noqa: F403
from .database import *  # noqa: F403
from .demo import *  # noqa: F403
from .documents import *  # noqa: F403
from .egress import *  # noqa: F403
from .environment import *  # noqa: F403
from .environment import BASE_DIR, env
from .i18n import *  # noqa: F403
from .idempotency import *  # noqa: F403
from .imports import *  # noqa: F403
from .limits import *  # noqa: F403
from .miit_lookup import *  # noqa: F403
from .monitoring_display import *  # noqa: F403
from .notifications import *  # noqa: F403
from .reports import *  # noqa: F403
from .security import *  # noqa: F403
from .sessions import *  # noqa: F403
from .signin import *  # noqa: F403
from .sso import *  # noqa: F403
from .storage import *  # noqa: F403
from .tokens import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: the model is tokens.ApiToken (KNOX_TOKEN_MODEL)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "auditlog",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.dingtalk",
    "allauth.socialaccount.providers.feishu",
    "signin.providers.wecom",  # our own provider on the same framework
    "core",
    "accounts",
    "audit",
    "signin",
    "tokens",
    "miniprograms",
    "filings",
    "compliance",
    "monitoring",
    "connectors",
    "notifications",
    "dashboard",
    "documents",
    "reports",
    "imports",
    "demo",  # top of the layers: seed_demo may import every other app
]

MIDDLEWARE = [
    "core.middleware.ProbeMiddleware",  # /healthz and /readyz: before the host check and sessions
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditContextMiddleware",  # who and from where, for every audit entry
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserLanguageMiddleware",  # user.language wins for signed-in users
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionTimeoutMiddleware",  # idle and absolute limits (settings/sessions.py)
    "signin.middleware.RequireSecondFactorMiddleware",  # 2FA set up before anything else
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "icpfiling.urls"
WSGI_APPLICATION = "icpfiling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dashboard.context_processors.dashboard",
            ],
        },
    },
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tokens.authentication.TokenAuthentication",  # knox: hashed, expiring; + language
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON and forms with a size limit, JSON with a nesting limit (API_BODY_MAX_BYTES,
    # API_JSON_MAX_DEPTH): a 400. DRF's own parsers read the stream with no limit at all.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.LimitedJSONParser",
        "core.parsers.LimitedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "icpfiling API",
    "DESCRIPTION": "ICP filing register, workflow and compliance.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Who may read the schema and docs: core/api_docs.py (API_DOCS_PUBLIC).
    # Swagger UI and Redoc are served from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind", "status" or "language": name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "FilingStatusEnum": "filings.models.FilingStatus.choices",
        "FilingKindEnum": "filings.models.FilingKind.choices",
        "ServiceKindEnum": "miniprograms.models.ServiceKind.choices",
        "OrganizationKindEnum": "accounts.models.OrganizationKind.choices",
        "WebhookKindEnum": "notifications.webhooks.webhook_kind_choices",
        "ReminderKindEnum": "notifications.models.ReminderKind.choices",
        "ReportKindEnum": "reports.kinds.report_kind_choices",
        "RunStatusEnum": "reports.models.RunStatus.choices",
        "ComplianceStatusEnum": "compliance.types.ComplianceStatus.choices",
        "RecordStateEnum": "miniprograms.models.RecordState.choices",
        "ImportStatusEnum": "imports.models.ImportStatus.choices",
        "LanguageEnum": "icpfiling.settings.base.LANGUAGES",
        "VerificationKindEnum": "monitoring.models.verify.VerificationKind.choices",
    },
}

# Root log level: DJANGO_LOG_LEVEL (INFO). Request lines (runserver's django.server) are
# logged without their query string: search boxes carry ID numbers (core/access_log.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_pii": {"()": "core.pii.MaskPIILogFilter"},
        "strip_query": {"()": "core.access_log.StripQueryStringLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_pii"],
        },
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["mask_pii"],
        },
    },
    "loggers": {
        "django.server": {
            "handlers": ["server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["strip_query"],
        },
        "django.request": {"filters": ["strip_query"]},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
