"""What filings tells the apps above it, without importing them.

Receivers connect in their AppConfig.ready(); filings never names them (layering:
filings → compliance → notifications).
"""

from django.dispatch import Signal

# Sent after the transaction that moved an application to a new status has committed.
# Keyword arguments: filing_id, operator_id, from_status, to_status. A receiver that raises
# is logged (on_commit robust) and does not undo the transition.
filing_transitioned = Signal()

# Sent by `filings.readiness.filing_readiness` to collect gaps that the apps above know about
# (documents: the materials checklist). Keyword arguments: filing, as_of. Each receiver returns
# a list of `icp.readiness.Gap`; one that raises makes the check fail loudly, never pass.
readiness_requested = Signal()
