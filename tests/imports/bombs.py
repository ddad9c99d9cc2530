"""Hostile XLSX files, built in memory: a few hundred kilobytes that unpack to millions of
rows, cells or texts. Minimal but well-formed packages (calamine and openpyxl open them)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = ["name_zh", "uscc", "province"]

PKG = "http://schemas.openxmlformats.org/package/2006"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

_CONTENT_TYPES = (
    f'{XML_DECL}<Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    f'{XML_DECL}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{XML_DECL}<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
    '<sheet name="operators" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{XML_DECL}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="{{sheet}}"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="{{strings}}"/>'
    "</Relationships>"
)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _header_row() -> str:
    cells = "".join(
        f'<c r="{_letters(i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEAD, start=1)
    )
    return f'<row r="1">{cells}</row>'


def package(
    sheet_xml: Iterable[str],
    shared_strings: Iterable[str] | None = None,
    *,
    sheet: str = "worksheets/sheet1.xml",
    strings: str = "sharedStrings.xml",
) -> bytes:
    """An XLSX with one sheet ("operators") streamed from `sheet_xml` pieces; `sheet` and
    `strings` are where the parts are stored, under xl/ (the workbook's relationships)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr(
            "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheet=sheet, strings=strings)
        )
        for name, pieces in (
            (f"xl/{sheet}", sheet_xml),
            (f"xl/{strings}", shared_strings or _empty_sst()),
        ):
            with zf.open(name, "w", force_zip64=True) as fh:
                batch: list[str] = []
                for piece in pieces:
                    batch.append(piece)
                    if len(batch) >= 10_000:
                        fh.write("".join(batch).encode())
                        batch.clear()
                fh.write("".join(batch).encode())
    return buf.getvalue()


def _empty_sst() -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="0" uniqueCount="0"/>'


def _sheet(rows: Iterable[str], dimension: str | None) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def empty_rows(
    n: int = 2_000_000, *, dimension: bool = True, numbered: bool = False, cells: bool = False
) -> bytes:
    """A header, then `n` rows without a value. Unnumbered (`<row/>`, as the format allows)
    they pack to a few kilobytes; numbered, as Excel writes formatted rows, to megabytes.
    With `cells`, each row holds one empty text cell, which a reader has to keep."""
    empty = '<row><c t="inlineStr"><is><t></t></is></c></row>' if cells else "<row/>"

    def rows() -> Iterator[str]:
        yield _header_row()
        for r in range(2, n + 2):
            yield f'<row r="{r}"><c r="A{r}" s="1"/></row>' if numbered else empty

    return package(_sheet(rows(), f"A1:C{n + 1}" if dimension else None))


def wide_header(columns: int = 1_000_000, *, dimension: bool = False, **where: str) -> bytes:
    """A header row of `columns` cells (no cell references, as the format allows)."""

    def rows() -> Iterator[str]:
        yield "<row>"
        for _ in range(columns):
            yield '<c t="inlineStr"><is><t>name_zh</t></is></c>'
        yield "</row>"

    return package(_sheet(rows(), f"A1:{_letters(16384)}1" if dimension else None), **where)


def shared_strings(n: int = 3_000_000, *, count: bool = True, **where: str) -> bytes:
    """A normal small sheet and `n` tiny shared strings nothing refers to."""

    def sst() -> Iterator[str]:
        counts = f' count="{n}" uniqueCount="{n}"' if count else ""
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}"{counts}>'
        for i in range(n):
            yield f"<si><t>{i % 10}</t></si>"
        yield "</sst>"

    return package(_sheet([_header_row()], "A1:C1"), sst(), **where)
