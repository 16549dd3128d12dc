"""What people typed goes into workbooks and CSV files as text, never as a formula.

openpyxl makes any string that begins with "=" a formula, and Excel and LibreOffice also evaluate CSV
fields that begin with "=", "+", "-" or "@" (formula injection: a «name» like `=HYPERLINK(...)` would
run on the curator's computer). Every sheet the bot writes goes through `TextRows`, every CSV row
through `csv_row`.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TextRows:
    """A write-only worksheet whose string values are always text cells."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def append(self, values: Iterable[Any]) -> None:
        from openpyxl.cell import WriteOnlyCell

        row = []
        for value in values:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"  # openpyxl took it for a formula
                value = cell
            row.append(value)
        self.sheet.append(row)


def csv_value(value: Any) -> Any:
    """A CSV field: None as empty, a string that a spreadsheet would evaluate behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]
