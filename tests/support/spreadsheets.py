"""Spreadsheet files made for tests and benchmarks: CSV text and a minimal XLSX writer (the app
only reads XLSX, with python-calamine; nothing here is the app's)."""
import csv
import datetime
import io
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '{sheets}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '{rels}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
STYLES = (  # style 1: a date (built-in format 14), as Excel shows 15/08/1990
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    '</styleSheet>')
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def column_name(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell(ref, value):
    """Text as an inline string; numbers as numbers; a date as a date-formatted serial."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
           '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell(f"{column_name(c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def xlsx_bytes(rows, sheets=None):
    """An XLSX file of one sheet of `rows`, or of `sheets` {name: rows} in order."""
    sheets = sheets or {"Sheet1": rows}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(
            SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(sheets, start=1))))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(rels="".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1))))
        z.writestr("xl/styles.xml", STYLES)
        for n, sheet_rows in enumerate(sheets.values(), start=1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml(sheet_rows))
    return buffer.getvalue()


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


HEADER = ["NIK", "No KK", "Nama Lengkap", "Tempat Lahir", "Tgl Lahir", "JK", "Agama",
          "Status Perkawinan", "Pekerjaan", "Kewarganegaraan", "Alamat", "RT", "RW", "Dusun",
          "SHDK"]


def resident_rows(count, start=0, kk_size=4, name="Warga"):
    """`count` valid residents in families of `kk_size` (head first), NIKs of Subang (3213)."""
    roles = ["Kepala Keluarga", "Istri", "Anak", "Anak", "Anak", "Famili Lain"]
    rows = []
    for i in range(start, start + count):
        family, member = divmod(i, kk_size)
        sex = "P" if member == 1 else "L"
        day = 1 + i % 28
        birth = datetime.date(1960 + i % 40, 1 + i % 12, day)
        nik_day = day + 40 if sex == "P" else day
        nik = f"321305{nik_day:02d}{birth.month:02d}{birth.year % 100:02d}{i % 10000:04d}"
        rows.append([nik, f"3213050101{family % 1000000:06d}", f"{name} {i:05d}", "Subang",
                     birth.strftime("%d-%m-%Y"), sex, "Islam", "Kawin", "Petani",
                     "WNI", f"Jl. Desa {family}", f"{1 + family % 9:03d}",
                     f"{1 + family % 4:03d}", f"Dusun {1 + family % 3}",
                     roles[min(member, len(roles) - 1)]])
    return rows
