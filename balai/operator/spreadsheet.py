"""Reading a population spreadsheet: CSV (any of , ; or tab, UTF-8 or Windows-1252) or a
workbook (XLSX, XLS, ODS, read with python-calamine), as rows of raw cell values.

A workbook's cells come as Python values (text, numbers, dates); a CSV's as text. What the
values mean is balai.operator.columns'."""
import csv
import io

from python_calamine import CalamineError, CalamineWorkbook

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"  # XLSX/ODS, and the old XLS
NOT_A_SPREADSHEET = ("Berkas ini bukan spreadsheet yang bisa dibaca. Unggah berkas CSV atau "
                     "Excel (.xlsx), misalnya hasil \"Simpan sebagai\" dari Excel.")
SKIPPED_SHEETS = {"kode data"}  # OpenSID's template: the sheet that explains its codes
MAX_COLUMNS = 200


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; the message says what to do."""


def read_rows(data):
    """All rows of the file's first data sheet, each a list of cell values, blank rows
    dropped; SpreadsheetError when it is not a spreadsheet."""
    if data[:4] in (ZIP, OLE):
        rows = workbook_rows(data)
    else:
        rows = csv_rows(data)
    return [row[:MAX_COLUMNS] for row in rows if any(not blank(value) for value in row)]


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def workbook_rows(data):
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [n for n in workbook.sheet_names if n.strip().lower() not in SKIPPED_SHEETS]
        if not names:
            return []
        return workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=True)
    except (CalamineError, ValueError, KeyError) as error:  # a damaged or protected workbook
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error


def csv_rows(data):
    if b"\x00" in data[:8192] or data.startswith(b"%PDF"):
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    text = decode(data)
    sample = text[:8192]
    delimiter = max((",", ";", "\t"), key=lambda d: sample.split("\n", 1)[0].count(d))
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error


def decode(data):
    """UTF-8 (with or without Excel's BOM), else Windows-1252, the other form Excel saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error
    if sum(not (c.isprintable() or c in "\r\n\t") for c in text[:4096]) > 8:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    return text

