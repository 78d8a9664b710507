"""CSV downloads that open cleanly in a spreadsheet (Excel reads UTF-8 by its byte-order mark)."""
import csv
import io

from flask import Response


def csv_cell(value):
    """A cell that starts like a formula is quoted so that it stays text in a spreadsheet."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def csv_text(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_download(filename, rows):
    """The rows (the first one the headings) as a CSV file to download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response("\ufeff" + csv_text(rows), mimetype="text/csv", headers=headers)
