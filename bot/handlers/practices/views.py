"""Texts and keyboards of the best-practice bank."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.practices.callbacks import PracticeAction, PracticeCb, PracticeChoiceCb, PracticeStep
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.practices import PracticeCard


def bank_view(t: Translator, cards: list[PracticeCard], *, can_submit: bool, waiting: int,
              found_for: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    title = t("practices.found", words=found_for) if found_for is not None else t("practices.title")
    lines = [title] + ([t("practices.none")] if not cards else [])
    buttons = [(f"📘 {shorten(c.title, 40)} · {shorten(c.organization, 20)}",
                PracticeCb(action=PracticeAction.SHOW, practice=c.id).pack()) for c in cards]
    buttons.append((t.plain("btn.practice_search"), PracticeCb(action=PracticeAction.SEARCH, practice=0).pack()))
    if can_submit:
        buttons.append((t.plain("btn.practice_new"), PracticeCb(action=PracticeAction.NEW, practice=0).pack()))
    if waiting:
        buttons.append((t.plain("btn.practice_pending", count=waiting),
                        PracticeCb(action=PracticeAction.PENDING, practice=0).pack()))
    return "\n".join(lines), from_pairs(buttons)


def card_view(t: Translator, c: PracticeCard) -> tuple[str, InlineKeyboardMarkup | None]:
    text = t("practices.card", title=c.title, org=c.organization, topic=c.topic or "—",
             status=t.plain(f"practices.status_{c.status.value}"), description=c.description,
             program=t.plain("practices.from_program") if c.from_program else "")
    buttons = []
    if c.files:
        buttons.append((t.plain("btn.practice_files", count=c.files),
                        PracticeCb(action=PracticeAction.FILES, practice=c.id).pack()))
    if c.can_decide:
        buttons += [(t.plain("btn.practice_approve"), PracticeCb(action=PracticeAction.APPROVE, practice=c.id).pack()),
                    (t.plain("btn.practice_return"), PracticeCb(action=PracticeAction.RETURN, practice=c.id).pack())]
    if c.can_post:
        buttons.append((t.plain("btn.practice_post"), PracticeCb(action=PracticeAction.POST, practice=c.id).pack()))
    if c.can_feature:
        buttons.append((t.plain("btn.practice_feature"), PracticeCb(action=PracticeAction.FEATURE, practice=c.id).pack()))
    return text, from_pairs(buttons) if buttons else None


def choices(t: Translator, step: PracticeStep, options: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return from_pairs([(shorten(title, 60), PracticeChoiceCb(step=step, value=value).pack())
                       for value, title in options] + [(t.plain("btn.skip"), PracticeChoiceCb(step=step, value=0).pack())])


def files_done(t: Translator, count: int) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain("btn.practice_files_done", count=count),
                        PracticeChoiceCb(step=PracticeStep.DONE, value=0).pack())])
