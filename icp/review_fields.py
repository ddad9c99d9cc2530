"""The fields of an application and of the register that a reviewer can point at.

Rejection reasons name one of these keys (WeChat returns `key_name` per field; providers name
the field in their notice), readiness gaps too, so the page can link each to the form that
fixes it. Keys are stored; labels are translated when shown. A key not listed here (older
rows, a provider's own name) is shown as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .types import Text

__all__ = ["FIELD_LABELS", "OTHER", "field_choices", "field_label", "is_known_field"]

OTHER = "other"

FIELD_LABELS: Mapping[str, Text] = MappingProxyType(
    {
        "operator_name": _("Operator name (主办单位名称)"),
        "entity_type": _("Entity type"),
        "uscc": _("Certificate number (USCC)"),
        "operator_address": _("Operator address"),
        "business_licence": _("Business licence / registration certificate"),
        "entity_person": _("Entity responsible person"),
        "service_person": _("Service responsible person"),
        "id_card_front": _("ID card, front"),
        "id_card_back": _("ID card, back"),
        "mobile": _("Mobile number"),
        "email": _("E-mail"),
        "service_name": _("Service / site name"),
        "appid": _("AppID"),
        "content_category": _("Service content category"),
        "domain": _("Domain"),
        "domain_real_name": _("Domain real-name verification"),
        "domain_registrant": _("Domain registrant"),
        "domain_expiry": _("Domain expiry"),
        "preapproval": _("Pre-approval (前置审批)"),
        "commitment_letter": _("Commitment letter (承诺书)"),
        "authorisation_letter": _("Authorisation letter (授权书)"),
        "materials": _("Other materials"),
        OTHER: _("Other (describe)"),
    }
)


def is_known_field(key: str) -> bool:
    return key in FIELD_LABELS


def field_label(key: str, text: str = "") -> str:
    """The label to show for a stored key: "other" shows its free text, unknown keys as is."""
    if key == OTHER and text:
        return text
    label = FIELD_LABELS.get(key)
    return key if label is None else str(label)


def field_choices() -> list[tuple[str, Text]]:
    """(key, label) pairs for a select, in the order above."""
    return list(FIELD_LABELS.items())
