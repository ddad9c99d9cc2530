"""What an access event records. Changes to rows are recorded by django-auditlog on its own
(create, update, delete); these are the reads and sign-in events that change no row."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AccessAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_THROTTLED = "sign_in_throttled", _("Sign-in refused: too many attempts")
    SIGN_OUT = "sign_out", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor authentication turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor authentication turned off")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    ID_REVEALED = "id_revealed", _("ID number revealed")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    EXPORTED = "exported", _("Exported")
    IMPORT_UPLOADED = "import_uploaded", _("Import uploaded")
    IMPORT_COMMITTED = "import_committed", _("Import committed")
    IMPORT_DISCARDED = "import_discarded", _("Import discarded")
    REPORT_REQUESTED = "report_requested", _("Report requested")
    REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ROLE_CHANGED = "role_changed", _("Role changed")
    SSO_LINKED = "sso_linked", _("Single sign-on identity linked")
    SSO_UNLINKED = "sso_unlinked", _("Single sign-on identity unlinked")
    SSO_REFUSED = "sso_refused", _("Single sign-on refused")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")


# django-auditlog's names of its actions have no Simplified Chinese translation: ours fills
# the gap (the page, the CSV and the admin show them).
AUDITLOG_ACTION_MSGIDS = [
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
]
