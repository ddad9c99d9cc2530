"""Limits checked before a spreadsheet is parsed, so a hostile file costs milliseconds.

An XLSX is a zip of XML files: a few kilobytes can declare millions of rows, a million
columns or a million shared strings, and a reader that builds the sheet in memory spends
seconds and hundreds of megabytes before anyone counts the rows. Two passes stop that:

- `xlsx_check_directory`: the zip's directory only (sizes, compression ratios, member
  count) and the first few kilobytes of each sheet (its declared `<dimension>`) and of the
  shared strings (their declared count). No row is read. Cheap enough for the web request.
- `xlsx_check_stream`: each sheet streamed through expat, and the shared strings through a
  byte count, counting rows, cells and strings while reading and stopping at the first limit
  passed (every XML part is looked at: the relationships, not the names, say which is
  which). Nothing is kept, so memory stays flat whatever the file holds. Run by the worker
  before calamine reads the (now bounded) sheets.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

from .columns import MAX_ROWS

HEAD_BYTES = 4096  # of a sheet or the shared strings: where <dimension> and <sst count> are
CHUNK_BYTES = 64 * 1024
# Below this size a member's compression ratio means nothing (a repeated style table).
RATIO_MIN_BYTES = 1024 * 1024

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_SST_ROOT = re.compile(rb"<(?:\w+:)?sst[\s>]")
_SST_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\buniqueCount=\"(\d+)\"")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


class LimitError(ValueError):
    """The file passes a limit; the message says which, for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    rows: int  # rows of one sheet, the header included
    columns: int
    uncompressed_bytes: int
    ratio: int
    members: int
    shared_strings: int
    cells: int  # rows × columns a sheet spans: a reader fills the gaps between far cells


def limits() -> Limits:
    """The limits in force (settings.IMPORTS_*)."""
    return Limits(
        rows=MAX_ROWS + 1,
        columns=int(settings.IMPORTS_MAX_COLUMNS),
        uncompressed_bytes=int(settings.IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES),
        ratio=int(settings.IMPORTS_XLSX_MAX_RATIO),
        members=int(settings.IMPORTS_XLSX_MAX_MEMBERS),
        shared_strings=int(settings.IMPORTS_XLSX_MAX_SHARED_STRINGS),
        cells=int(settings.IMPORTS_XLSX_MAX_CELLS),
    )


def column_number(letters: str) -> int:
    """A1-style column letters → 1-based number (A → 1, XFD → 16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _too_many_rows(lim: Limits) -> LimitError:
    return LimitError(_("A sheet has more than %(n)d rows.") % {"n": lim.rows - 1})


def _too_many_columns(lim: Limits) -> LimitError:
    return LimitError(_("A sheet has more than %(n)d columns.") % {"n": lim.columns})


def _open_zip(content: IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(content)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LimitError(_("This is not a readable XLSX file.")) from None


def _xml_parts(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Every XML part: a sheet or the shared strings may be stored under any name (the
    workbook's relationships say where), so each part is looked at, not only the usual ones."""
    return [i for i in zf.infolist() if i.filename.lower().endswith(".xml")]


def _is_shared_strings(head: bytes) -> bool:
    return _SST_ROOT.search(head) is not None


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with zf.open(info) as fh:
            return fh.read(HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise LimitError(_("This is not a readable XLSX file.")) from None


def xlsx_check_directory(content: IO[bytes], lim: Limits | None = None) -> None:
    """Refuse a zip bomb from the zip's directory and the sheets' first kilobytes.

    Raises LimitError. Reads at most HEAD_BYTES of each sheet and of the shared strings.
    """
    lim = lim or limits()
    with _open_zip(content) as zf:
        infos = zf.infolist()
        if len(infos) > lim.members:
            raise LimitError(_("The XLSX file holds too many parts (%(n)d).") % {"n": len(infos)})
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > lim.uncompressed_bytes:
            raise LimitError(
                _("Unpacked, this XLSX file would take more than %(mb)d MB.")
                % {"mb": lim.uncompressed_bytes // (1024 * 1024)}
            )
        for info in infos:
            if info.file_size >= RATIO_MIN_BYTES and info.file_size > lim.ratio * max(
                info.compress_size, 1
            ):
                raise LimitError(_("This XLSX file is compressed suspiciously well; refused."))
        if total >= RATIO_MIN_BYTES and total > lim.ratio * max(packed, 1):
            raise LimitError(_("This XLSX file is compressed suspiciously well; refused."))
        for info in _xml_parts(zf):
            head = _head(zf, info)
            _check_dimension(head, lim)
            found = _SST_COUNT.search(head)
            if found and int(found[1]) > lim.shared_strings:
                raise LimitError(
                    _("The XLSX file holds more than %(n)d different texts.")
                    % {"n": lim.shared_strings}
                )


def _check_dimension(head: bytes, lim: Limits) -> None:
    found = _DIMENSION.search(head)
    if not found:
        return  # optional in the format: the streaming pass counts instead
    last_col, last_row = (found[3], found[4]) if found[3] else (found[1], found[2])
    if last_row and int(last_row) > lim.rows:
        raise _too_many_rows(lim)
    if last_col and column_number(last_col.decode()) > lim.columns:
        raise _too_many_columns(lim)


class _NotASheet(Exception):  # noqa: N818 - control flow, never seen outside this module
    """The part's root element is not a worksheet: nothing to count in it."""


SHEET_ROOTS = ("worksheet", "chartsheet", "dialogsheet", "macrosheet")


class _SheetCounter:
    """expat handlers counting rows and cells; raise LimitError at the first limit passed."""

    def __init__(self, lim: Limits) -> None:
        self.lim = lim
        self.rows = 0
        self.row_number = 0
        self.cells_in_row = 0
        self.last_column = 0
        self.root = True

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if self.root:
            self.root = False
            if local not in SHEET_ROOTS:
                raise _NotASheet
        elif local == "row":
            self.rows += 1
            self.cells_in_row = 0
            r = attrs.get("r", "")
            self.row_number = int(r) if r.isdigit() else self.row_number + 1
            if self.rows > self.lim.rows or self.row_number > self.lim.rows:
                raise _too_many_rows(self.lim)
        elif local == "c":
            self.cells_in_row += 1
            ref = _CELL_REF.match(attrs.get("r", ""))
            column = column_number(ref[1]) if ref else self.cells_in_row
            if column > self.lim.columns or self.cells_in_row > self.lim.columns:
                raise _too_many_columns(self.lim)
            if ref and int(ref[2]) > self.lim.rows:
                raise _too_many_rows(self.lim)
            self.last_column = max(self.last_column, column)
            if self.last_column * self.row_number > self.lim.cells:
                raise LimitError(
                    _("A sheet spans more than %(n)d cells (rows × columns).")
                    % {"n": self.lim.cells}
                )


def _count_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits, budget: list[int]):
    """Count the <si> elements by counting bytes over the stream (an expat callback per
    element, or a regex, is ten times slower here). Each chunk starts with the previous
    one's last two bytes: a tag cut by the boundary is counted once. A prefixed <x:si> shows
    ":si" twice (opening and closing tag)."""
    strings, carry = 0, b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK_BYTES):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise LimitError(_("Unpacked, this XLSX file is too large."))
                data = carry + chunk
                strings += data.count(b"<si") + data.count(b":si") // 2
                carry = data[-2:]
                if strings > lim.shared_strings:
                    raise LimitError(
                        _("The XLSX file holds more than %(n)d different texts.")
                        % {"n": lim.shared_strings}
                    )
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        raise LimitError(_("This is not a readable XLSX file.")) from None


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, handler, budget: list[int]) -> None:
    parser = expat.ParserCreate()
    parser.StartElementHandler = handler.start
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK_BYTES):
                # The directory's sizes may lie: count what is really unpacked.
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise LimitError(_("Unpacked, this XLSX file is too large."))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _NotASheet:
        return
    except expat.ExpatError:
        raise LimitError(_("This is not a readable XLSX file.")) from None
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        raise LimitError(_("This is not a readable XLSX file.")) from None


def xlsx_check_stream(content: IO[bytes], lim: Limits | None = None) -> None:
    """Stream every sheet and the shared strings, counting; raise LimitError at a limit."""
    lim = lim or limits()
    budget = [lim.uncompressed_bytes]
    with _open_zip(content) as zf:
        for info in _xml_parts(zf):
            if _is_shared_strings(_head(zf, info)):
                _count_strings(zf, info, lim, budget)
            else:
                _stream(zf, info, _SheetCounter(lim), budget)
