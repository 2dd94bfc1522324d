"""Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return)
as a formula; every CSV the portal writes passes its cells through here."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """The value, or its text with a leading apostrophe if it would start a formula.
    Numbers stay numbers (a negative count is still a number, not a formula)."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
