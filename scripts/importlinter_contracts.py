"""Custom import-linter contract types (registered in pyproject's `[tool.importlinter]`).

import-linter sees an external package only as its top-level name (`django`), so its own
`forbidden` contract cannot tell `django.utils.translation` from `django.db`. The contract
below reads the import statements themselves (grimp keeps each line) to do that.
"""

from __future__ import annotations

import re
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

_FROM = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?\s*([\w\s,.]+?)\s*\)?\s*(#.*)?$")
_IMPORT = re.compile(r"^\s*import\s+([\w.\s,]+?)\s*(#.*)?$")


def imported_paths(line: str, package: str) -> list[str]:
    """Return the dotted paths below `package` that one import statement brings in."""
    match = _FROM.match(line)
    if match:
        base = match.group(1)
        if base != package:
            return [base]
        names = [part.split(" as ")[0].strip() for part in match.group(2).split(",")]
        return [f"{base}.{name}" for name in names if name]
    match = _IMPORT.match(line)
    if match:
        return [part.split(" as ")[0].strip() for part in match.group(1).split(",")]
    return [package]  # unparsable (e.g. a multi-line import): count it as the bare package


def _is_allowed(path: str, allowed: list[str]) -> bool:
    return any(path == prefix or path.startswith(prefix + ".") for prefix in allowed)


class AllowedExternalSubmodulesContract(Contract):
    """The source modules may import only the listed submodules of one external package.

    Configuration options:
        - source_modules:   the modules (and their descendants) under the rule.
        - external_package: the top-level external package, e.g. `django`.
        - allowed:          the dotted submodules that may be imported, e.g.
                            `django.utils.translation`.
    """

    type_name = "allowed_external_submodules"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    external_package = fields.StringField()
    allowed = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        package: str = self.external_package  # type: ignore[assignment]
        allowed: list[str] = self.allowed  # type: ignore[assignment]
        illegal: list[dict[str, Any]] = []
        for source in self.source_modules:  # type: ignore[attr-defined]
            if source.name not in graph.modules:
                continue
            for importer in {source.name} | graph.find_descendants(source.name):
                for detail in graph.get_import_details(importer=importer, imported=package):
                    bad = [
                        path
                        for path in imported_paths(detail["line_contents"], package)
                        if not _is_allowed(path, allowed)
                    ]
                    if bad:
                        illegal.append({**detail, "paths": bad})
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        allowed = ", ".join(self.allowed)  # type: ignore[arg-type]
        output.print_error(f"Only {allowed} may be imported from {self.external_package}:")
        output.new_line()
        for item in check.metadata["illegal"]:
            output.print_error(
                f"- {item['importer']} (l.{item['line_number']}): {item['line_contents']}",
                bold=False,
            )
        output.new_line()
