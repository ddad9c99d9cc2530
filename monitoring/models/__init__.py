"""The app's models, one module per part (Django finds them through this package)."""

from .notices import UNRESOLVED_STATES, NoticeProvider, NoticeState, ProviderNotice  # noqa: F401
