"""Errors raised by services. Views and the API translate them to 400/404/409."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule refused the operation; `message` is shown to the person."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403


class ConflictError(ApplicationError):
    """The state changed under the caller (workflow conflicts, duplicate in-flight orders)."""

    status_code = 409
