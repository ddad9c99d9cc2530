"""Spreadsheet imports (imports/): limits checked before parsing, the sweep and retention."""

from .environment import env

# Columns a sheet may have (the widest template sheet has 10; the problems file adds one).
IMPORTS_MAX_COLUMNS = env.int("IMPORTS_MAX_COLUMNS", default=100)
# Characters one CSV field may hold; a longer one is an error of its row.
IMPORTS_CSV_MAX_FIELD_CHARS = env.int("IMPORTS_CSV_MAX_FIELD_CHARS", default=10_000)
# An XLSX is a zip: its parts unpacked may take at most this much …
IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024
)
# … no part of 1 MB or more (nor the whole) may shrink more than this many times in the zip …
IMPORTS_XLSX_MAX_RATIO = env.int("IMPORTS_XLSX_MAX_RATIO", default=100)
# … it may hold at most this many parts …
IMPORTS_XLSX_MAX_MEMBERS = env.int("IMPORTS_XLSX_MAX_MEMBERS", default=500)
# … a sheet may span at most this many cells, rows × columns (the template's widest sheet
# over 50,000 rows spans 550,000) …
IMPORTS_XLSX_MAX_CELLS = env.int("IMPORTS_XLSX_MAX_CELLS", default=1_000_000)
# … and this many different texts (shared strings).
IMPORTS_XLSX_MAX_SHARED_STRINGS = env.int("IMPORTS_XLSX_MAX_SHARED_STRINGS", default=1_000_000)
# A run still waiting for the worker this long after its last change is queued again (the
# broker was down when it was stored): the imports.sweep task, every 5 minutes.
IMPORTS_REQUEUE_AFTER_MINUTES = env.int("IMPORTS_REQUEUE_AFTER_MINUTES", default=5)
# Uploaded files of runs not imported are deleted after this many days (the run is kept).
IMPORTS_RETENTION_DAYS = env.int("IMPORTS_RETENTION_DAYS", default=7)
