"""The app's models, one module per part (Django finds them through this package)."""

from .verify import MiitLookup, ServiceVerification  # noqa: F401
