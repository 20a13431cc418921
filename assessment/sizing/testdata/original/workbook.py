"""Print the cells of a workbook the original tool wrote, as JSON.

    python3 workbook.py OUT.xlsx > workbooks/NAME.json

For each sheet in order: its name and its non-empty rows, each a list of
cell values with empty cells as null and trailing empty cells dropped.
Tests compare our workbook's sheets and rows with these.
"""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = []
    for r in ws.iter_rows(values_only=True):
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        if r:
            rows.append(r)
    out.append({'name': ws.title, 'rows': rows})
json.dump(out, sys.stdout, separators=(',', ':'), default=str)
