"""What filings tells the apps above it, without importing them.

Receivers connect in their AppConfig.ready(); filings never names them (layering:
filings → compliance → notifications).
"""

from django.dispatch import Signal

# Sent after the transaction that moved an application to a new status has committed.
# Keyword arguments: filing_id, operator_id, from_status, to_status. A receiver that raises
# is logged (on_commit robust) and does not undo the transition.
filing_transitioned = Signal()
