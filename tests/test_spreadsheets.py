import pytest

from core.spreadsheets import neutralise_formula


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example","x")', "+33 1 60 87", "-2+3", "@SUM(A1)", "\tX", "\rX"],
)
def test_text_that_a_spreadsheet_would_run_is_prefixed(cell):
    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Genopole", "Tartù", "", " =not first", 42, -3, None])
def test_everything_else_is_left_alone(cell):
    assert neutralise_formula(cell) == cell
