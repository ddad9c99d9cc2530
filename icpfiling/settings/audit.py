"""The audit log (audit app, django-auditlog with audit.AuditEntry as its entry model)."""

from .environment import env

# django-auditlog writes its change rows into our own model (organization, access kind, label).
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# Changes are stored as JSON values (not their str()), masked fields as "***".
AUDITLOG_STORE_JSON_CHANGES = True
# The address comes from audit.context.client_address (REMOTE_ADDR as Django sees it), never
# from a client-supplied X-Forwarded-For: auditlog's own middleware is not used.
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "audit.masking.mask_value"

# Days an audit entry is kept; older entries are deleted by the nightly purge (core.purge).
# 0 keeps them for ever.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3 * 365)
