"""Keyboards built without aiogram's deep copies.

`KeyboardBuilder.add`, `adjust` and `as_markup` call `export()`, which deep-copies the whole markup
(pydantic models) every time: building a keyboard of n buttons copies O(n²) buttons, a tenth of the
bot's CPU under load (bench/updates.py). Buttons are never changed once made, so copying the rows is
enough. The builder's rows are its private `_markup` (aiogram 3.31); tests/test_speedups.py checks that
a keyboard built with and without this is the same."""
from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


def _shallow_export(self: InlineKeyboardBuilder) -> list[list[InlineKeyboardButton]]:
    return [list(row) for row in self._markup]


def install(builder: type[InlineKeyboardBuilder]) -> None:
    builder.export = _shallow_export  # type: ignore[method-assign]


def installed(builder: type[InlineKeyboardBuilder]) -> bool:
    return builder.export is _shallow_export
