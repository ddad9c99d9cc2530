"""Connector kinds: one class per vendor, registered by code.

A kind says what credentials it needs (and which are secret), which filing channel its
applications use, how to check the credentials, what objects the account can see and what
state each is in. Everything else — scheduling, leases, back-off, the run log, applying
states through the filing and register services — is the framework's (connectors.sync,
connectors.apply), the same for every kind. Adding a vendor is one module that registers one
kind; no if/elif anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icp.types import Text

if TYPE_CHECKING:
    from .models import ConnectorAccount, PushEvent
    from .types import VendorFiling, VendorObject


@dataclass(frozen=True)
class CredentialField:
    name: str
    label: Text
    secret: bool
    help_text: Text = ""
    validate: Callable[[str], None] | None = None
    required: bool = True


class ConnectorKind:
    """Base of every kind. Subclasses set the class attributes and implement `client`,
    `check_credentials`, `objects` and `read`."""

    code: ClassVar[str]
    label: ClassVar[Text]
    description: ClassVar[Text] = ""
    channel: ClassVar[str]  # icp.channels.FilingChannel of the applications it follows
    needs_operator: ClassVar[bool] = False  # the account is one filing entity's own
    has_push: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()

    def client(self, account: ConnectorAccount) -> Any:
        """An object that talks to the vendor for `account` (tokens, signing, error codes)."""
        raise NotImplementedError

    def check_credentials(self, client: Any) -> str:
        """Make the cheapest call that proves the credentials; a message saying what was
        seen. Raises CredentialError (refused) or another ConnectorError."""
        raise NotImplementedError

    def objects(self, client: Any, *, only: str = "") -> Iterable[VendorObject]:
        """What the account can see, in a stable order (a deferred run resumes by index)."""
        raise NotImplementedError

    def read(self, client: Any, obj: VendorObject) -> Iterator[VendorFiling]:
        """The filing state(s) of one object (usually one)."""
        raise NotImplementedError

    def handle_push(self, event: PushEvent) -> None:
        """Act on an accepted push (kinds with `has_push`)."""
        raise NotImplementedError

    def clean_credentials(self, values: dict[str, str], *, current: dict[str, Any]) -> dict:
        """The values to store: a secret left empty keeps its stored value; checks each."""
        cleaned: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for f in self.credential_fields:
            value = (values.get(f.name) or "").strip()
            if not value and f.secret:
                value = str(current.get(f.name, ""))
            if not value:
                if f.required:
                    errors[f.name] = [str(_("This field is required."))]
                continue
            if f.validate is not None:
                try:
                    f.validate(value)
                except ValidationError as exc:
                    errors[f.name] = [str(m) for m in exc.messages]
                    continue
            cleaned[f.name] = value
        if errors:
            raise ValidationError(errors)
        return cleaned


_KINDS: dict[str, ConnectorKind] = {}


def register(cls: type[ConnectorKind]) -> type[ConnectorKind]:
    """Class decorator: make the kind available under its code."""
    if cls.code in _KINDS:
        raise ValueError(f"connector kind {cls.code!r} registered twice")
    _KINDS[cls.code] = cls()
    return cls


def get(code: str) -> ConnectorKind:
    """The kind of `code`; KeyError for one this installation does not have."""
    return _KINDS[code]


def kinds() -> list[ConnectorKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, Text]]:
    return [(k.code, k.label) for k in _KINDS.values()]
