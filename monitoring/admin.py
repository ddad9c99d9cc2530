"""The app's admin pages (Django imports this module); each part keeps its own."""

from .display import admin as display_admin  # noqa: F401
