"""The import contract's own machinery: the custom contract that keeps `icp` off Django."""

from __future__ import annotations

import grimp
import pytest

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
