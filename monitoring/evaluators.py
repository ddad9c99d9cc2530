"""The compliance evaluators of this app (compliance.registry), imported by MonitoringConfig.

Each part of the app registers its own module here.
"""

from __future__ import annotations

from .display import evaluators as display_evaluators  # noqa: F401
from .notices import evaluators as _notices  # noqa: F401
from .verify import evaluators as verify_evaluators  # noqa: F401
