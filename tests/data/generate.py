"""Writes the test files that are not plain UTF-8 text (run from this directory).

The plain ones are kept as they are; these are generated so that their odd bytes are
reproducible and reviewable: Excel's French CSV (Windows-1252), Excel's "Unicode text"
(UTF-16 with a byte-order mark, tabs), an XLSX workbook, and files that are not logs at all.
"""

import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent

# Excel (French Windows) "CSV (séparateur: point-virgule)": Windows-1252, CRLF, a line break
# inside a quoted cell (Excel writes it as a bare LF), day-first dates, oui/non.
(HERE / "fr_excel_cp1252.csv").write_bytes(
    (
        "Date;Événement;Société;Contact(s);Sujet;Notes;Suivi\r\n"
        "14/10/2022;BIO-Europe 2022;Tartù Biocluster;Kadri Tamm;Soft-landing;"
        "\"Très intéressés par l'offre d'accueil.\nRappeler en novembre.\";oui\r\n"
        "15/10/2022;bio-europe 2022;BRISTOL MYERS SQUIBB;;Partenariat R&D;;non\r\n"
        "16/10/2022;BIO-Europe 2022;Grand Orly Seine Bievre;;Écosystème;Réunion à Évry;"
        "Envoyer la plaquette\r\n"
    ).encode("cp1252")
)

# Excel "Unicode text (*.txt)": UTF-16 little-endian with a byte-order mark, tab-separated.
(HERE / "excel_unicode_text.txt").write_bytes(
    (
        "Date\tÉvénement\tOrganisation\tSujet\r\n"
        "2022-10-18\tBIO-Europe 2022\tUniversité Paris-Saclay\tAlliance européenne\r\n"
    ).encode("utf-16")
)

# An XLSX workbook: a real date cell, a text date, a formula kept as typed.
workbook = openpyxl.Workbook()
sheet = workbook.active
sheet.append(["Date", "Événement", "Organisation", "Contacts", "Sujet", "Notes", "Suivi"])
sheet.append(
    [datetime.date(2022, 10, 19), "BIO-Europe 2022", "BioWin", None, "Cluster", None, "oui"]
)
sheet.append(
    [
        "20/10/2022",
        "BIO-Europe 2022",
        "Medicon",
        "Anna Berg",
        "Data",
        '=HYPERLINK("http://evil.example","deck")',
        None,
    ]
)
sheet.append([None] * 7)  # a blank row, as Excel often leaves one
workbook.save(HERE / "meetings.xlsx")

# Not meeting logs at all.
(HERE / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
# Invalid in UTF-8 and undefined in Windows-1252 (0x81): an encoding we cannot read.
(HERE / "unknown_encoding.csv").write_bytes(
    b"Date;Organisation\r\n2022-10-14;Caf\xc3\x28 \x81 Biotech\r\n"
)
# An old-style (OLE) Excel workbook header.
(HERE / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56)
