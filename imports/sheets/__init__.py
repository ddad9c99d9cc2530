"""One applier per sheet: `prepare(importer)` loads what the sheet matches against, and
`apply(importer, table, row, values, seen)` creates, updates or counts one clean row.

A new sheet adds its columns to `imports/columns.py`, a module here, and a line below.
"""

from __future__ import annotations

from types import ModuleType

from . import domains, miniprograms, operators, persons

APPLIERS: dict[str, ModuleType] = {
    "operators": operators,
    "miniprograms": miniprograms,
    "domains": domains,
    "persons": persons,
}
