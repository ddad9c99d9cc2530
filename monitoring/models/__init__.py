"""The app's models, one module per part (Django finds them through this package)."""

from .display import CheckStatus, CheckTrigger, DisplayCheck, LinkTarget, MonitoringSettings  # noqa: F401
from .notices import UNRESOLVED_STATES, NoticeProvider, NoticeState, ProviderNotice  # noqa: F401
from .verify import MiitLookup, ServiceVerification  # noqa: F401
