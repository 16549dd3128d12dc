"""The date and time picker with buttons, shared by every dialog that asks for a date (plan items, the
meeting log, meetings, speed sessions, surveys). Typing ДД.ММ.ГГГГ still works wherever it is shown.

Our own keyboards rather than aiogram-calendar or aiogram-dialog's Calendar: aiogram-calendar names months
through the machine's C locale (`calendar.different_locale`, process-wide and absent on a minimal Debian),
and its callbacks cannot say which dialog a day belongs to; aiogram-dialog brings its own dialog stack and
storage layout, beside our FSM states and their durable data. Here a picked day is a `CalendarCb` that each
dialog receives under its own state filter, and month and weekday names come from the locales.

A dialog shows `calendar_markup(...)`; this module's router turns the months (any state), and the dialog's
own handler takes `CalendarCb.filter(F.action == CalendarAction.PICK)` in its state. Days outside the range
are blank, so a picked day is always within it; the service checks it again all the same."""
from __future__ import annotations

import calendar
from datetime import date, time
from enum import StrEnum

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.handlers.render import mark_answered
from bot.i18n import Translator
from bot.services.errors import InvalidInput

BLANK = "·"  # Telegram refuses a button without text
SLOTS = [time(h, m) for h in range(8, 21) for m in (0, 30)][:-1]  # 08:00 … 20:00, every half hour


class CalendarAction(StrEnum):
    PICK = "p"  # `day` was chosen
    MONTH = "m"  # show the month of `day`
    NONE = "n"  # a blank or a caption


class CalendarCb(CallbackData, prefix="cl"):
    action: CalendarAction
    day: int  # date.toordinal()
    lo: int = 0  # the range shown, as ordinals (0: open)
    hi: int = 0


class TimeCb(CallbackData, prefix="tm"):
    minutes: int  # from midnight


def _none() -> str:
    return CalendarCb(action=CalendarAction.NONE, day=0).pack()


def calendar_markup(t: Translator, month: date, *, first: date | None = None, last: date | None = None,
                    today: date | None = None) -> InlineKeyboardMarkup:
    """A month of days, Monday first; ◀ ▶ turn the months within [first, last]; today is marked."""
    lo, hi = (first.toordinal() if first else 0), (last.toordinal() if last else 0)
    shown = month.replace(day=1)
    prev_end = shown.toordinal() - 1
    next_start = date(shown.year + shown.month // 12, shown.month % 12 + 1, 1)
    header = [
        InlineKeyboardButton(text="◀" if not lo or prev_end >= lo else BLANK, callback_data=CalendarCb(
            action=CalendarAction.MONTH if not lo or prev_end >= lo else CalendarAction.NONE,
            day=prev_end, lo=lo, hi=hi).pack()),
        InlineKeyboardButton(text=f"{t.plain(f'calendar.month_{shown.month}')} {shown.year}", callback_data=_none()),
        InlineKeyboardButton(text="▶" if not hi or next_start.toordinal() <= hi else BLANK, callback_data=CalendarCb(
            action=CalendarAction.MONTH if not hi or next_start.toordinal() <= hi else CalendarAction.NONE,
            day=next_start.toordinal(), lo=lo, hi=hi).pack()),
    ]
    rows = [header, [InlineKeyboardButton(text=name, callback_data=_none())
                     for name in t.plain("calendar.weekdays").split()]]
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(shown.year, shown.month):
        row = []
        for day in week:
            inside = day.month == shown.month and (not lo or day.toordinal() >= lo) and \
                (not hi or day.toordinal() <= hi)
            text = (f"•{day.day}" if day == today else str(day.day)) if inside else BLANK
            row.append(InlineKeyboardButton(text=text, callback_data=CalendarCb(
                action=CalendarAction.PICK if inside else CalendarAction.NONE, day=day.toordinal() if inside else 0,
                lo=lo, hi=hi).pack()))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def picked_day(callback_data: CalendarCb) -> date:
    """The day of a pressed PICK button (InvalidInput for a forged one outside its own range)."""
    try:
        day = date.fromordinal(callback_data.day)
    except (ValueError, OverflowError):
        raise InvalidInput("error.stale_button") from None
    if (callback_data.lo and callback_data.day < callback_data.lo) or (
            callback_data.hi and callback_data.day > callback_data.hi):
        raise InvalidInput("error.stale_button")
    return day


async def take_day(callback: CallbackQuery, callback_data: CalendarCb) -> date:
    """A pressed day: the press answered, and the calendar replaced by the date it chose."""
    day = picked_day(callback_data)
    await callback.answer()
    await mark_answered(callback, day.strftime("%d.%m.%Y"))
    return day


async def take_time(callback: CallbackQuery, callback_data: TimeCb) -> time:
    """A pressed time of the grid, answered likewise."""
    at = picked_time(callback_data)
    await callback.answer()
    await mark_answered(callback, at.strftime("%H:%M"))
    return at


def time_markup() -> InlineKeyboardMarkup:
    """The half hours of a school day, four a row; any other time is typed as ЧЧ:ММ."""
    rows, row = [], []
    for slot in SLOTS:
        row.append(InlineKeyboardButton(text=slot.strftime("%H:%M"),
                                        callback_data=TimeCb(minutes=slot.hour * 60 + slot.minute).pack()))
        if len(row) == 5:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def picked_time(callback_data: TimeCb) -> time:
    if not 0 <= callback_data.minutes < 24 * 60:
        raise InvalidInput("error.stale_button")
    return time(callback_data.minutes // 60, callback_data.minutes % 60)


async def month_turned(callback: CallbackQuery, callback_data: CalendarCb, t: Translator) -> None:
    """◀ ▶: the same picker, another month (whatever dialog it serves)."""
    await callback.answer()
    try:
        month = date.fromordinal(callback_data.day)
    except (ValueError, OverflowError):
        return
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=calendar_markup(
            t, month, first=date.fromordinal(callback_data.lo) if callback_data.lo > 0 else None,
            last=date.fromordinal(callback_data.hi) if callback_data.hi > 0 else None))


async def caption_pressed(callback: CallbackQuery) -> None:
    await callback.answer()


def create_router() -> Router:
    router = Router(name="calendar")
    router.callback_query.register(month_turned, CalendarCb.filter(F.action == CalendarAction.MONTH))
    router.callback_query.register(caption_pressed, CalendarCb.filter(F.action == CalendarAction.NONE))
    return router
