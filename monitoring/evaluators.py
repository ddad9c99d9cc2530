"""The compliance evaluators of this app (compliance.registry), imported by MonitoringConfig.

Each part of the app registers its own module here.
"""

from __future__ import annotations

from .verify import evaluators as verify_evaluators  # noqa: F401
