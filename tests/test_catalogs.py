"""Every translation catalog is complete: no empty msgstr, no fuzzy entry (gettext skips both,
so the page would show the English msgid)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(
    p
    for p in ROOT.rglob("*.po")
    if not ({".venv", "node_modules"} & set(p.relative_to(ROOT).parts))
)


def test_catalogs_exist():
    names = {str(p.relative_to(ROOT)) for p in CATALOGS}
    assert "locale/zh_Hans/LC_MESSAGES/django.po" in names
    assert len(names) >= 3  # the project catalog and the app catalogs (notifications, reports)


def _problems(po: polib.POFile) -> list[str]:
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                found.append(f"empty plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"empty: {entry.msgid!r}")
    return found


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete(path):
    problems = _problems(polib.pofile(str(path)))
    assert not problems, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_the_check_sees_empty_and_fuzzy_entries():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Pending", msgstr=""))
    po.append(polib.POEntry(msgid="Sent", msgstr="已发送", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="%(n)d day", msgid_plural="%(n)d days", msgstr_plural={0: ""}))
    po.append(polib.POEntry(msgid="Cancelled", msgstr="已取消"))
    assert _problems(po) == [
        "empty: 'Pending'",
        "fuzzy: 'Sent'",
        "empty plural: '%(n)d day'",
    ]
