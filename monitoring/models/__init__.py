"""The app's models, one module per part (Django finds them through this package)."""

from .notices import NoticeProvider, NoticeState, ProviderNotice  # noqa: F401
