"""What every feature's views build with: keyboards (texts cut to fit Telegram's buttons), a message
shown in place of the one pressed, an answered button marked."""
from __future__ import annotations

import html
import re

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

BUTTON_MAX = 48


class Keyboard(InlineKeyboardBuilder):
    """The bot's keyboards: aiogram's builder, without its deep copies where the speed-ups are on
    (bot/speedups/keyboard.py)."""


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, an ellipsis where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(text: str | None, limit: int = BUTTON_MAX) -> str:
    return shorten(text or "", limit) or "—"


def from_pairs(buttons: list[tuple[str, str]], width: int = 1) -> InlineKeyboardMarkup:
    """A keyboard of (text, packed callback data) pairs, texts cut to fit."""
    kb = Keyboard()
    for text, data in buttons:
        kb.button(text=label(text, 60), callback_data=data)
    return kb.adjust(width).as_markup()


_TAGS = re.compile(r"<[^>]+>")


def _dump(markup: InlineKeyboardMarkup | None) -> dict | None:
    return markup.model_dump(exclude_none=True) if markup is not None else None


def plain_of(text: str) -> str:
    """What Telegram shows for our HTML (tags gone, entities decoded)."""
    return html.unescape(_TAGS.sub("", text))


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message the button belongs to; skip edits that would change nothing
    (Telegram answers those with 400), and send anew when the message is gone."""
    message = callback.message
    if isinstance(message, Message) and message.text is not None:
        if message.text == plain_of(text) and _dump(message.reply_markup) == _dump(markup):
            return
        await message.edit_text(text, reply_markup=markup)
        return
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def mark_answered(callback: CallbackQuery, answer: str | None = None) -> None:
    """Replace the keyboard under an answered question with the answer (`answer`, or the pressed button's
    text), so the chat keeps a readable record and the buttons cannot be pressed again."""
    message = callback.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    buttons = [b for row in message.reply_markup.inline_keyboard for b in row]
    marked = [b.text.removeprefix("✅ ") for b in buttons if b.text.startswith("✅ ")]
    pressed = [b.text for b in buttons if b.callback_data == callback.data]
    answer = answer or "; ".join(marked) or (pressed[0] if pressed else "")
    if message.text is None or not answer:
        await message.edit_reply_markup(reply_markup=None)
        return
    await message.edit_text(f"{message.html_text}\n→ <b>{html.escape(answer, quote=False)}</b>", reply_markup=None)
