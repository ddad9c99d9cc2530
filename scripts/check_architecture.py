"""Run the import contract of pyproject.toml, leaving out root packages not written yet.

`[tool.importlinter]` names every package of the intended layout (`icp`, `imports`…).
import-linter stops at a root package that does not exist, so this script writes a copy of
the configuration without the missing ones (and without contracts left with no source),
says what it left out, and lints the copy. Once every package exists the copy equals the
original. Exit status: 0 every contract kept, 1 one is broken, 2 the check could not run.
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _exists(module: str) -> bool:
    top = module.split(".")[0]
    return top == "*" or (ROOT / top).is_dir() or (ROOT / f"{top}.py").is_file()


def _filter_contract(contract: dict[str, Any]) -> dict[str, Any] | None:
    """Drop missing modules from a contract; None when nothing is left to check."""
    kept = dict(contract)
    for key in ("source_modules", "forbidden_modules"):
        if key in kept:
            kept[key] = [m for m in kept[key] if _exists(m)]
    if "source_modules" in kept and not kept["source_modules"]:
        return None
    return kept


def _ini_value(value: Any) -> str:
    if isinstance(value, list):
        return "".join(f"\n    {item}" for item in value)
    if isinstance(value, bool):
        return str(value)
    return str(value)


def build_ini(config: dict[str, Any]) -> tuple[str, list[str]]:
    """Return the filtered configuration as INI text and the notes on what was left out."""
    notes: list[str] = []
    missing = [p for p in config["root_packages"] if not _exists(p)]
    if missing:
        notes.append(f"not yet in the tree, left out: {', '.join(missing)}")
    session = {k: v for k, v in config.items() if k != "contracts"}
    session["root_packages"] = [p for p in config["root_packages"] if _exists(p)]
    lines = ["[importlinter]"] + [f"{k} = {_ini_value(v)}" for k, v in session.items()]
    for contract in config["contracts"]:
        kept = _filter_contract(contract)
        if kept is None:
            notes.append(f"skipped (its source does not exist yet): {contract['name']}")
            continue
        lines.append(f"\n[importlinter:contract:{kept['id']}]")
        lines += [f"{k} = {_ini_value(v)}" for k, v in kept.items() if k != "id"]
    return "\n".join(lines) + "\n", notes


def main() -> int:
    """Lint the filtered configuration; return 0 kept, 1 broken, 2 the check could not run."""
    from importlinter import cli  # here: `build_ini` needs no import-linter

    with (ROOT / "pyproject.toml").open("rb") as fh:
        config = tomllib.load(fh)["tool"]["importlinter"]
    ini, notes = build_ini(config)
    for note in notes:
        print(f"check-architecture: {note}")
    with tempfile.NamedTemporaryFile("w", suffix=".ini", prefix="importlinter-") as fh:
        fh.write(ini)
        fh.flush()
        try:
            status = cli.lint_imports(
                config_filename=fh.name,
                no_cache=True,
                is_debug_mode=True,  # raise configuration errors instead of reporting "broken"
                verbose="--verbose" in sys.argv[1:],
            )
        except Exception as exc:  # any failure of the tool itself
            print(f"check-architecture: ERROR, the check could not run: {exc!r}", file=sys.stderr)
            return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
