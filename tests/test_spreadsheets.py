import pytest

from core.spreadsheets import neutralise_formula


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
