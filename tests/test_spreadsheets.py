import pytest

from core.spreadsheets import neutralise_formula, neutralised_column


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example","x")', "+33 1 60 87", "-2+3", "@SUM(A1)", "\tX", "\rX"],
)
def test_text_that_a_spreadsheet_would_run_is_prefixed(cell):
    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["Genopole", "Tartù", "", "a =not first", " plain", "\u200bBio", 42, -3, None]
)
def test_everything_else_is_left_alone(cell):
    assert neutralise_formula(cell) == cell


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u200b", "\ufeff", "\n", " \u00a0\n"])
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_a_formula_behind_blanks_a_spreadsheet_skips_is_prefixed(blank, trigger):
    cell = f"{blank}{trigger}HYPERLINK(1)"
    assert neutralise_formula(cell) == "'" + cell


def test_control_characters_that_xlsx_cannot_hold_are_replaced():
    assert neutralise_formula("Bio\x07Win\x00") == "Bio\ufffdWin\ufffd"
    assert neutralise_formula("line\nbreak\ttab") == "line\nbreak\ttab"


def test_a_column_is_neutralised_as_each_of_its_cells_would_be():
    column = ["Genopole", "=1+1", "", None, "Bio\x07Win", "A1\n=2", "\u00a0@SUM(A1)", "Tartù",
              "9 rue", "\u200bBio", " plain", "-", "\x00=x", "Zoë\u2028", "'=x"]  # fmt: skip
    assert neutralised_column(column) == [neutralise_formula(cell) for cell in column]
    assert neutralised_column(column)[1] == "'=1+1"
