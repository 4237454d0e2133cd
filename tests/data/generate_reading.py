"""Writes the test logs shaped the way real tools save them (run from this directory).

Each file is made the way its tool makes it, so that the reading rules are tested on real
bytes: Excel for Mac's Mac Roman CSV with bare-CR line ends, a UTF-8 file with one line pasted
from Windows-1252, Outlook's UTF-16 calendar export (English and French), US-dated exports,
month names, a workbook with title rows and merged cells, blank lines wider than the header,
invisible characters from the web. The zip bombs are in bombs.py (made at test time: too big
to keep).
"""

import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent

# Excel for Mac "CSV (séparateur: point-virgule)": Mac Roman, lines ending in a bare CR.
# Line 4 has a date that does not exist, to check line numbers without LF.
(HERE / "mac_roman_cr.csv").write_bytes(
    "\r".join(
        [
            "Date;Événement;Société;Contact(s);Sujet",
            "14/10/2022;BIO-Europe 2022;BioWin;Jörg Müller;Thérapies géniques",
            "15/10/2022;BIO-Europe 2022;Medicon;;Réunion à Évry",
            "31/02/2022;BIO-Europe 2022;Medicon;;Thérapies",
            "",
        ]
    ).encode("mac_roman")
)

# The same Excel for Mac save of a hand-made sheet: a title row above the header, and a note
# typed over two lines (Alt-Enter: a bare CR inside the quotes). Excel shows the bad date on
# row 5; it is on line 6 of the file.
(HERE / "mac_roman_cr_title_multiline.csv").write_bytes(
    "\r".join(
        [
            "Rendez-vous BIO-Europe 2022;;;",
            "Date;Société;Notes;Sujet",
            '14/10/2022;BioWin;"Première partie\rseconde partie";Thérapies',
            "15/10/2022;Medicon;;Réunion à Évry",
            "31/02/2022;Medicon;;Thérapies",
            "",
        ]
    ).encode("mac_roman")
)

# A UTF-8 file where one line was pasted from a Windows-1252 file: "Dupré" there is one byte.
(HERE / "utf8_stray_byte.csv").write_bytes(
    b"Date;Organisation;Contact(s);Sujet\n"
    + "14/10/2022;BioWin;Jérôme Dupré;Réunion à Évry\n".encode()
    + "15/10/2022;Medicon;Anne Dupré;Suivi\n".encode("cp1252")
)

# Outlook "Export → Comma Separated Values", with the organisation column staff add by hand
# (Outlook has none). UTF-16 with a mark, as Outlook writes it when asked for Unicode; times
# with AM/PM; 6/14/2022 can only be month first.
_OUTLOOK_EN = [
    "Subject",
    "Start Date",
    "Start Time",
    "End Date",
    "End Time",
    "All day event",
    "Reminder on/off",
    "Reminder Date",
    "Reminder Time",
    "Meeting Organizer",
    "Required Attendees",
    "Optional Attendees",
    "Description",
    "Location",
    "Company",
]
_OUTLOOK_FR = [
    "Objet",
    "Date de début",
    "Heure de début",
    "Date de fin",
    "Heure de fin",
    "Journée entière",
    "Rappel actif/inactif",
    "Date de rappel",
    "Heure de rappel",
    "Organisateur de réunion",
    "Participants obligatoires",
    "Participants facultatifs",
    "Description",
    "Emplacement",
    "Société",
]


def _outlook(headers, rows):
    lines = [",".join(f'"{header}"' for header in headers)]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


(HERE / "outlook_en_utf16.csv").write_bytes(
    _outlook(
        _OUTLOOK_EN,
        [
            [
                "Cluster visit",
                "6/14/2022",
                "10:00:00 AM",
                "6/14/2022",
                "10:30:00 AM",
                "False",
                "True",
                "6/14/2022",
                "9:45:00 AM",
                "Marie Curie",
                "Anna Berg",
                "Jaan Kask",
                "Deck sent",
                "Table 12",
                "Medicon",
            ],
            [
                "Follow-up call",
                "6/3/2022",
                "2:00:00 PM",
                "6/3/2022",
                "2:30:00 PM",
                "False",
                "False",
                "",
                "",
                "Marie Curie",
                "Lars Holm",
                "",
                "",
                "",
                "BioWin",
            ],
        ],
    )
)
(HERE / "outlook_fr_utf16.csv").write_bytes(
    _outlook(
        _OUTLOOK_FR,
        [
            [
                "Visite du cluster",
                "14/06/2022",
                "10:00:00",
                "14/06/2022",
                "10:30:00",
                "Faux",
                "Vrai",
                "14/06/2022",
                "09:45:00",
                "Marie Curie",
                "Anna Berg",
                "Jaan Kask",
                "Plaquette envoyée",
                "Table 12",
                "Medicon",
            ],
        ],
    )
)

# Exports from US tools: month-first dates, English headers.
(HERE / "us_month_first.csv").write_text(
    "Date,Organization,Topic\n06/14/2022,BioWin,Cluster\n6/3/2022,Medicon,Data\n"
)
(HERE / "us_ambiguous.csv").write_text(
    "Date,Organization,Topic\n1/8/2020,BioWin,Cluster\n1/9/2020,Medicon,Data\n"
)
(HERE / "us_ambiguous_am_pm.csv").write_text(
    "Date,Start time,Organization\n1/8/2020,10:00 AM,BioWin\n1/9/2020,2:30 PM,Medicon\n"
)
(HERE / "mixed_orders.csv").write_text("Date,Organization\n25/06/2022,BioWin\n06/14/2022,Medicon\n")

# Month names as people type them, in English and French.
(HERE / "month_names.csv").write_text(
    "Date;Organisation;Sujet\n"
    '13-Jun-22;BioWin;a\n14-Jun-2022;BioWin;b\n"June 14, 2022";Medicon;c\n'
    "15 June 2022;Medicon;d\nWed 15 Jun 2022;BioWin;e\n16 juin 2022;BioWin;f\n"
    "1er juillet 2022;Medicon;g\n",
    encoding="utf-8",
)

# A hand-made workbook: a title and a blank row above the header, the event merged down its
# block of rows, a company merged over two rows, a serial-number date and a text date.
workbook = openpyxl.Workbook()
sheet = workbook.active
sheet.append(["Rendez-vous BIO-Europe 2022"])
sheet.merge_cells("A1:E1")
sheet.append([])
sheet.append(["Événement", "Date", "Société", "Contact(s)", "Sujet"])
sheet.append(["BIO-Europe 2022", datetime.date(2022, 10, 24), "BioWin", "Anna Berg", "a"])
sheet.append([None, 44859, None, "Lars Holm", "b"])  # 44859 = 2022-10-25
sheet.append([None, "26/10/2022", "Medicon", None, "c"])
sheet.merge_cells("A4:A6")
sheet.merge_cells("C4:C5")
sheet.append([None, 123, "Medicon", None, "d"])  # not a plausible day: an error naming it
workbook.save(HERE / "merged_title_rows.xlsx")

# Blank lines wider than the header (which ends in empty cells), as Excel saves a sheet
# whose formatting reaches further right than its data.
(HERE / "wide_blank_lines.csv").write_text(
    "Date;Organisation;Sujet;;\n;;;;;;;;\n14/10/2022;BioWin;a;;\n;;;;;;\n   ;  ; ;;;;\n"
)

# Invisible characters pasted from the web and Word: a zero-width space, a soft hyphen, a
# no-break space, a byte-order mark mid-file, a left-to-right mark.
(HERE / "invisible_characters.csv").write_text(
    "Date;Organisa\u00adtion;Sujet\u200b\n"
    "14/10/2022;Bio\u200bWin;Cluster\u00a0visit\n"
    "\ufeff15/10/2022;\u200eMedi\u00adcon;Data\n",
    encoding="utf-8",
)
