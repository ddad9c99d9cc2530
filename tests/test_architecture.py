"""The import contract's own machinery: the custom contract and the config filter."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

from scripts.check_architecture import build_ini
from scripts.importlinter_contracts import AllowedExternalSubmodulesContract, imported_paths


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("from django.utils.translation import gettext_lazy as _", ["django.utils.translation"]),
        ("from django.db import models", ["django.db"]),
        ("from django import db, conf as c", ["django.db", "django.conf"]),
        ("import django.conf", ["django.conf"]),
        ("import django", ["django"]),
    ],
    ids=["translation_case", "from_db_case", "from_root_case", "import_case", "bare_case"],
)
def test_imported_paths(line, expected):
    assert imported_paths(line, "django") == expected


def _graph(lines: dict[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    graph.add_module("django", is_squashed=True)
    graph.add_module("kernel")
    for number, (module, line) in enumerate(lines.items(), start=1):
        graph.add_module(module)
        graph.add_import(importer=module, imported="django", line_number=number, line_contents=line)
    return graph


def _contract() -> AllowedExternalSubmodulesContract:
    return AllowedExternalSubmodulesContract(
        name="kernel",
        session_options={},
        contract_options={
            "source_modules": ["kernel"],
            "external_package": "django",
            "allowed": ["django.utils.translation"],
        },
    )


def test_contract_kept_with_translation_only():
    graph = _graph({"kernel.a": "from django.utils.translation import gettext"})
    assert _contract().check(graph, verbose=False).kept is True


def test_contract_broken_by_the_orm_and_names_the_line():
    graph = _graph(
        {
            "kernel.a": "from django.utils.translation import gettext",
            "kernel.b": "from django.db import models",
        }
    )
    check = _contract().check(graph, verbose=False)
    assert check.kept is False
    assert [(i["importer"], i["line_number"]) for i in check.metadata["illegal"]] == [
        ("kernel.b", 2)
    ]


def test_config_filter_leaves_out_missing_packages_and_orphan_contracts():
    config = {
        "root_packages": ["core", "no_such_pkg"],
        "contracts": [
            {
                "id": "a",
                "name": "A",
                "type": "forbidden",
                "source_modules": ["no_such_pkg"],
                "forbidden_modules": ["core"],
            },
            {
                "id": "b",
                "name": "B",
                "type": "forbidden",
                "source_modules": ["core"],
                "forbidden_modules": ["no_such_pkg", "accounts"],
            },
        ],
    }
    ini, notes = build_ini(config)
    assert "root_packages = \n    core\n" in ini
    assert "[importlinter:contract:a]" not in ini
    assert "forbidden_modules = \n    accounts\n" in ini
    assert notes == [
        "not yet in the tree, left out: no_such_pkg",
        "skipped (its source does not exist yet): A",
    ]


def test_the_project_keeps_the_contract_modules_it_names():
    """The intended layout's packages that do exist are checked, not silently dropped."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    ini, _ = build_ini(config)
    for package in ("core", "accounts", "miniprograms", "filings", "dashboard", "demo"):
        assert f"\n    {package}\n" in ini
