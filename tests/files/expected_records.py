#!/usr/bin/env python3
"""Reads the files connector's formats with Python's own modules, so that the
tests compare the connector with an independent reader. One line per result.

  csv   PATH DELIMITER COLUMN VALUE     spreadsheet row numbers (header = 1) whose
                                        COLUMN equals VALUE without case
  csvrows PATH DELIMITER                every row of a CSV file as JSON
  xlsx  PATH SHEET COLUMN VALUE         the same for a worksheet (header row 1)
  cells PATH SHEET                      every row of a worksheet: "row<TAB>A=..;B=.."
  vcard PATH EMAIL                      1-based numbers of the cards with that EMAIL
  chat  PATH SESSION FIELD VALUE        session ids of the lines whose FIELD equals
                                        VALUE without case
  zipcheck PATH                         "ok" when every member's CRC is right
  repack SOURCE TARGET                  SOURCE's members written as a stream, so that
                                        each ends in a data descriptor
"""
import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def csv_rows(path, delimiter, column, value):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    index = rows[0].index(column)
    for number, row in enumerate(rows[1:], start=2):
        if index < len(row) and row[index].strip().lower() == value.lower():
            print(number)


def sheet_cells(path, sheet_name):
    with zipfile.ZipFile(path) as package:
        strings = []
        if "xl/sharedStrings.xml" in package.namelist():
            root = ET.fromstring(package.read("xl/sharedStrings.xml"))
            for si in root.iter(MAIN + "si"):
                strings.append("".join(t.text or "" for t in si.iter(MAIN + "t")))
        workbook = ET.fromstring(package.read("xl/workbook.xml"))
        rels = ET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheet = next(s for s in workbook.iter(MAIN + "sheet") if s.get("name") == sheet_name)
        part = "xl/" + targets[sheet.get(REL + "id")]
        rows = {}
        for row in ET.fromstring(package.read(part)).iter(MAIN + "row"):
            cells = {}
            for cell in row.iter(MAIN + "c"):
                column = re.match(r"[A-Z]+", cell.get("r")).group(0)
                kind = cell.get("t")
                if kind == "s":
                    cells[column] = strings[int(cell.find(MAIN + "v").text)]
                elif kind == "inlineStr":
                    cells[column] = "".join(t.text or "" for t in cell.iter(MAIN + "t"))
                else:
                    v = cell.find(MAIN + "v")
                    cells[column] = v.text if v is not None else ""
            rows[int(row.get("r"))] = cells
        return rows


def xlsx_rows(path, sheet_name, column, value):
    rows = sheet_cells(path, sheet_name)
    letter = next(c for c, text in rows[1].items() if text == column)
    for number in sorted(rows):
        if number > 1 and rows[number].get(letter, "").strip().lower() == value.lower():
            print(number)


def vcards(path, email):
    with open(path, encoding="utf-8", newline="") as handle:
        text = re.sub(r"\r?\n[ \t]", "", handle.read())
    cards = re.findall(r"BEGIN:VCARD\r?\n(.*?)END:VCARD", text, flags=re.S)
    for number, card in enumerate(cards, start=1):
        emails = [line.split(":", 1)[1].strip().lower()
                  for line in card.splitlines() if re.match(r"(\w+\.)?EMAIL[;:]", line, re.I)]
        if email.lower() in emails:
            print(number)


def chat(path, session_field, field, value):
    seen = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            entry = json.loads(line)
            if str(entry.get(field, "")).strip().lower() == value.lower():
                session = entry[session_field]
                if session not in seen:
                    seen.append(session)
    for session in seen:
        print(session)


def repack(source_path, target_path):
    class Stream:  # no seek and no tell: zipfile writes data descriptors
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            return self.handle.write(data)

        def flush(self):
            self.handle.flush()

    with zipfile.ZipFile(source_path) as source, open(target_path, "wb") as handle:
        with zipfile.ZipFile(Stream(handle), "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info.filename, source.read(info.filename))


def main(argv):
    command = argv[1]
    if command == "csv":
        csv_rows(argv[2], argv[3], argv[4], argv[5])
    elif command == "csvrows":
        with open(argv[2], encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle, delimiter=argv[3]):
                print(json.dumps(row, ensure_ascii=True))
    elif command == "xlsx":
        xlsx_rows(argv[2], argv[3], argv[4], argv[5])
    elif command == "cells":
        for number, cells in sorted(sheet_cells(argv[2], argv[3]).items()):
            print(str(number) + "\t" + ";".join(k + "=" + v for k, v in sorted(cells.items())))
    elif command == "vcard":
        vcards(argv[2], argv[3])
    elif command == "chat":
        chat(argv[2], argv[3], argv[4], argv[5])
    elif command == "zipcheck":
        with zipfile.ZipFile(argv[2]) as package:
            print("ok" if package.testzip() is None else "bad")
    elif command == "repack":
        repack(argv[2], argv[3])
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
