"""Bytes and a file name in, every cell as text out: decoding, delimiters, workbooks, header rows.

How a file is read
------------------
* **Kind** comes from the content: a ZIP with ``xl/workbook.xml`` is an Excel workbook (its first *visible*
  sheet is read; Microsoft Forms hides a sheet before it); a ZIP holding one CSV (Google Forms' download) is
  read as that CSV; anything else must be text. PDFs, old ``.xls`` files, images and random bytes are refused.
* **Encoding**: a byte-order mark decides (UTF-8, UTF-16 LE/BE; Qualtrics TSV is UTF-16); UTF-16 without a mark is
  recognised by its zero bytes; otherwise strict UTF-8, falling back to Windows-1252 with a warning (files
  re-saved by Excel).
* **Lines and fields**: CR-only line ends are accepted, answers may hold line breaks inside quotes, and the
  delimiter (``,``, ``;`` or tab) is sniffed from the first rows. Rows are parsed by pyarrow, falling back to
  Python's ``csv`` module for ragged rows.
* **Workbook cells** come back as text: whole numbers without ``.0``, dates as ``YYYY-MM-DD HH:MM:SS`` (or
  ``YYYY-MM-DD`` at midnight),
  formulas as their literal text (never evaluated).
* **Header rows** are found by :mod:`survey_model.importers.detection`; trailing columns with no header and no
  value are dropped; blank rows are not responses. Excel date serials in the platform's date columns become
  text dates.

Errors
------
A file that cannot be read as a table at all (empty, binary, a PDF, a damaged workbook, over
:data:`MAX_EXPORT_BYTES`) raises :class:`ExportReadError` with a message and an action for the user; callers show
both. Everything else (no responses, an encoding fallback) is an issue in :attr:`RawExport.report`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from types import ModuleType

import numpy as np
import pandas as pd

from survey_model.importers import generic, google_forms, ms_forms, qualtrics, surveymonkey
from survey_model.importers.cleaning import excel_serials_to_text, name_key
from survey_model.importers.detection import detect_layout
from survey_model.importers.export import Column, RawExport, column_key
from survey_model.validation import ValidationIssue, ValidationReport

__all__ = ["MAX_EXPORT_BYTES", "PLATFORM_MODULES", "ExportReadError", "RawTable", "read_export", "read_table"]

MAX_EXPORT_BYTES = 256 * 1024 * 1024
"""Largest export accepted (256 MiB): a statewide wave of 100,000 educators × 60 columns is about 60 MB."""

PLATFORM_MODULES: dict[str, ModuleType] = {
    module.PLATFORM: module for module in (qualtrics, surveymonkey, google_forms, ms_forms, generic)
}
"""Platform id → the module with its ``columns(header, layout)`` and ``RULES``."""

_HEAD_BYTES = 64 * 1024
_DELIMITERS = (",", "\t", ";")
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel 97-2003 (.xls) or Word file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


class ExportReadError(Exception):
    """The file cannot be read as a survey export at all.

    ``message`` says what is wrong and ``action`` what the user can do; show both. ``code`` is a stable kind
    (``empty_file``, ``too_large``, ``not_a_table``, ``damaged_workbook``, ...).
    """

    def __init__(self, message: str, action: str = "", *, code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.code = code

    def __str__(self) -> str:
        return f"{self.message} {self.action}".strip()


@dataclass(frozen=True, eq=False)
class RawTable:
    """Every row of a file as text, header rows included, before the layout is known."""

    cells: pd.DataFrame
    """Columns ``0..n-1``, every cell a string (``""`` when blank)."""
    encoding: str
    """Encoding used to decode the text, or ``xlsx``."""
    delimiter: str = ""
    sheet: str = ""
    issues: tuple[ValidationIssue, ...] = field(default_factory=tuple)


def read_export(data: bytes, filename: str, *, max_bytes: int = MAX_EXPORT_BYTES) -> RawExport:
    """Read an export: detect the platform and layout from the content, describe each column, keep cells as text.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        The file's name, used only in messages (the content decides the format).
    max_bytes : int, optional
        Files larger than this are refused with a clear message (default :data:`MAX_EXPORT_BYTES`).

    Returns
    -------
    RawExport
        Platform, layout, encoding, column descriptions and the responses as text, plus a report of reading
        problems (for example "the export has no responses", an error).

    Raises
    ------
    ExportReadError
        When the file cannot be read as a table (empty, binary, PDF, damaged workbook, too large).
    """
    table = read_table(data, filename, max_bytes=max_bytes)
    cells = table.cells
    first_rows = [list(row) for row in cells.iloc[:3].itertuples(index=False, name=None)]
    layout = detect_layout(first_rows)
    module = PLATFORM_MODULES[layout.platform]
    header = first_rows[: layout.header_rows]
    columns: tuple[Column, ...] = module.columns(header, layout.layout)
    body = cells.iloc[layout.header_rows :]
    body.columns = [column_key(i) for i in range(body.shape[1])]
    body.index = pd.RangeIndex(len(body))

    width = _width_without_trailing_empty(header, body)
    columns = columns[:width]
    body = body.iloc[:, :width]
    blank = _blank_rows(body)
    if blank.any():
        body = body[~blank]

    rules = module.RULES
    for column in columns:
        if {name_key(column.name), name_key(column.label)} & rules.dates:
            body[column.key] = excel_serials_to_text(body[column.key])

    report = ValidationReport()
    report.extend(table.issues)
    report.counts["rows_read"] = len(body)
    report.counts["columns"] = len(columns)
    if layout.platform == "generic":
        report.add(
            "info",
            "generic_layout",
            "No survey platform was recognised, so the first row is read as the column headers and every other "
            "row as one respondent.",
            action="If this is a Qualtrics, SurveyMonkey, Google Forms or Microsoft Forms export, download it again "
            "from the platform without editing it.",
        )
    if body.empty:
        report.add(
            "error",
            "no_responses",
            f"{filename} has column headers but no responses.",
            action="Export again after responses have come in, or check that the right file was chosen.",
        )
    return RawExport(
        platform=layout.platform,
        layout=layout.layout,
        encoding=table.encoding,
        columns=columns,
        rows=body,
        report=report,
        header_rows=layout.header_rows,
        sheet=table.sheet,
        delimiter=table.delimiter,
    )


def _blank_rows(body: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (",,,," lines). Only rows with an empty first cell need a closer look."""
    if body.empty:
        return np.zeros(0, dtype=bool)
    blank = np.array(body.iloc[:, 0].eq("").to_numpy(dtype=bool))  # a writable copy
    candidates = np.flatnonzero(blank)
    if len(candidates):
        suspects = body.iloc[candidates]
        for key in suspects.columns[1:]:
            blank[candidates] &= suspects[key].eq("").to_numpy(dtype=bool)
    return blank


def _width_without_trailing_empty(header: Sequence[Sequence[str]], body: pd.DataFrame) -> int:
    width = body.shape[1]
    while width > 1:
        position = width - 1
        if any(position < len(row) and row[position].strip() for row in header):
            break
        if body.iloc[:, position].str.strip().ne("").any():
            break
        width -= 1
    return width


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_EXPORT_BYTES) -> RawTable:
    """Every row of a CSV, TSV or XLSX file as text (see the module docstring); raises :class:`ExportReadError`."""
    name = PurePath(filename).name or "the file"
    if len(data) > max_bytes:
        raise ExportReadError(
            f"{name} is {len(data) / 1e6:,.0f} MB; the largest export accepted is {max_bytes / 1e6:,.0f} MB.",
            "Export only the survey's questions and the responses you need, or split the file by school.",
            code="too_large",
        )
    if _is_blank(data):
        raise ExportReadError(f"{name} is empty.", "Choose the exported responses file.", code="empty_file")
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data, name, max_bytes)
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ExportReadError(
                f"{name} is {kind}, not a survey export.",
                "Download the responses as CSV or Excel (.xlsx) from the survey platform.",
                code="not_a_table",
            )
    return _read_text(data, name)


def _is_blank(data: bytes) -> bool:
    """Nothing but white space, zero bytes and byte-order marks (the head is checked first: no copy of a big file)."""
    blank = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"
    return not data[:_HEAD_BYTES].strip(blank) and not data.strip(blank)


def _read_zip(data: bytes, name: str, max_bytes: int) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExportReadError(
            f"{name} looks like an Excel workbook but is damaged or incomplete (perhaps cut off while uploading).",
            "Download the export again and upload the new copy.",
            code="damaged_workbook",
        ) from None
    if "xl/workbook.xml" in members:
        return _read_workbook(data, name)
    tables = [member for member in members if member.casefold().endswith((".csv", ".tsv", ".txt"))]
    if len(tables) == 1:
        try:
            inner = archive.read(tables[0])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ExportReadError(
                f"{name} is a damaged ZIP archive.", "Download the export again.", code="damaged_workbook"
            ) from None
        if len(inner) > max_bytes:
            raise ExportReadError(
                f"{tables[0]} inside {name} is larger than {max_bytes / 1e6:,.0f} MB.",
                "Export fewer columns or split the file.",
                code="too_large",
            )
        return _read_text(inner, tables[0])
    raise ExportReadError(
        f"{name} is a ZIP archive without one survey export in it.",
        "Unzip it and upload the CSV or Excel file of responses.",
        code="not_a_table",
    )


def _read_workbook(data: bytes, name: str) -> RawTable:
    import openpyxl  # imported here: reading a CSV should not pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        if not visible:
            raise ExportReadError(f"{name} has no visible worksheet.", "Unhide the sheet of responses and save.")
        sheet = visible[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except ExportReadError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds (KeyError, zlib.error, EOFError) for a broken file
        raise ExportReadError(
            f"{name} is an Excel workbook that cannot be opened: it is damaged or incomplete.",
            "Open it in Excel and save it again as .xlsx, or export it again from the platform.",
            code="damaged_workbook",
        ) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)] if rows else []
    if not rows:
        raise ExportReadError(
            f"The first visible sheet of {name} ({sheet.title!r}) is empty.",
            "Put the responses on the first sheet, or export them again.",
            code="empty_file",
        )
    width = max(len(row) for row in rows)
    matrix = np.array([row + [""] * (width - len(row)) for row in rows], dtype=object)
    cells = pd.DataFrame(matrix, dtype="str")
    return RawTable(cells, "xlsx", sheet=sheet.title)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        # Excel stores a date as a date-time at midnight: show it as the date the person typed.
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_text(data: bytes, name: str) -> RawTable:
    issues: list[ValidationIssue] = []
    payload, head, encoding = _decode(data, name)
    if encoding in ("cp1252", "latin-1"):
        issues.append(_encoding_warning(encoding))
    if b"\n" not in payload and b"\r" in payload:
        payload = payload.replace(b"\r", b"\n")
        head = head.replace("\r", "\n")
    delimiter = _sniff_delimiter(head, truncated=len(payload) > _HEAD_BYTES)
    try:
        cells = _parse_fast(payload, delimiter)
    except UnicodeDecodeError:
        # The first 64 kB were UTF-8 and a later byte is not: the whole file is Windows-1252.
        text, encoding = _decode_single_byte(data)
        issues.append(_encoding_warning(encoding))
        payload = text.encode("utf-8")
        try:
            cells = _parse_fast(payload, delimiter)
        except ValueError:
            cells = _parse_python(text, delimiter, name)
    except ValueError:
        cells = _parse_python(payload.decode("utf-8"), delimiter, name)
    if cells.empty or cells.shape[1] == 0:
        raise ExportReadError(f"{name} holds no rows.", "Choose the exported responses file.", code="empty_file")
    cells.columns = pd.RangeIndex(cells.shape[1])
    first = cells.iat[0, 0]
    if first.startswith("\ufeff"):
        cells.iat[0, 0] = first.lstrip("\ufeff")
    return RawTable(cells, encoding, delimiter=delimiter, issues=tuple(issues))


def _encoding_warning(encoding: str) -> ValidationIssue:
    return ValidationIssue(
        "warning",
        "not_utf8",
        f"The file is not UTF-8; it was read as {'Windows-1252' if encoding == 'cp1252' else 'Latin-1'}. "
        "Accented letters and curly quotes may look wrong.",
        action="If answers look garbled, save the export as 'CSV UTF-8' (Excel) or download it again.",
    )


def _decode(data: bytes, name: str) -> tuple[bytes, str, str]:
    """UTF-8 bytes for the parser, the decoded first 64 kB, and the encoding's name."""
    if data.startswith(codecs.BOM_UTF8):
        payload, encoding = data[3:], "utf-8-sig"
        head = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(payload[:_HEAD_BYTES])
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(data, "utf-16", name)
        payload, head, encoding = text.encode("utf-8"), text[:_HEAD_BYTES], "utf-16"
    elif _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = _decode_strict(data, encoding, name)
        payload, head = text.encode("utf-8"), text[:_HEAD_BYTES]
    else:
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(data[:_HEAD_BYTES])
            payload, encoding = data, "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_single_byte(data)
            payload, head = text.encode("utf-8"), text[:_HEAD_BYTES]
    if _looks_binary(head):
        raise ExportReadError(
            f"{name} is not a text table: it holds binary data.",
            "Upload the survey export itself, as CSV, TSV or Excel (.xlsx).",
            code="not_a_table",
        )
    return payload, head, encoding


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ExportReadError(
            f"{name} starts like a UTF-16 text file but is damaged.",
            "Download the export again.",
            code="not_a_table",
        ) from None


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # five byte values are undefined in Windows-1252; Latin-1 decodes anything
        return data.decode("latin-1"), "latin-1"


def _looks_utf16(data: bytes) -> bool:
    head = data[:4096]
    return len(head) >= 4 and head.count(b"\x00") * 4 >= len(head)


def _looks_binary(head: str) -> bool:
    if not head:
        return False
    control = sum(1 for char in head if (char < " " and char not in "\t\r\n") or char == "\x7f")
    return control * 100 > len(head)


def _sniff_delimiter(head: str, *, truncated: bool) -> str:
    """The delimiter giving the first rows the most fields, consistently (comma wins ties)."""
    best, best_score = ",", (False, 0)
    for delimiter in _DELIMITERS:
        try:
            records = list(itertools.islice(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), 8))
        except csv.Error:
            continue
        if truncated and len(records) > 1:
            records = records[:-1]  # the last record may be cut off by the 64 kB head
        records = [record for record in records if record]
        if not records:
            continue
        width = len(records[0])
        consistent = sum(len(record) == width for record in records) * 10 >= 8 * len(records)
        score = (consistent and width > 1, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _parse_fast(payload: bytes, delimiter: str) -> pd.DataFrame:
    """Parse with pyarrow; ``ValueError`` for ragged rows, ``UnicodeDecodeError`` for bytes that are not UTF-8."""
    try:
        return pd.read_csv(
            io.BytesIO(payload),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            engine="pyarrow",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid UTF-8 in the file") from None
        raise ValueError(str(exc)) from None


def _parse_python(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """Python's csv module: slower, but it accepts rows of different lengths."""
    csv.field_size_limit(2**31 - 1)
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]
    except csv.Error as exc:
        raise ExportReadError(
            f"{name} cannot be read as a table ({exc}).",
            "Download the export again as CSV, or save it from Excel as 'CSV UTF-8'.",
            code="not_a_table",
        ) from None
    if not rows:
        return pd.DataFrame()
    width = max(len(row) for row in rows)
    matrix = np.array([row + [""] * (width - len(row)) for row in rows], dtype=object)
    return pd.DataFrame(matrix, dtype="str")
