"""Texts and keyboards of meetings."""
from __future__ import annotations

import html

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.meetings.callbacks import MeetingAction, MeetingAnswerCb, MeetingCb, PlanChoiceCb, PlanField
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.meetings import MeetingCard
from db.models import MeetingFormat, PlannedMeetingStatus


def card_text(t: Translator, card: MeetingCard) -> str:
    lines = [t("meetings.card", when=card.starts, minutes=card.duration_minutes,
               format=t.plain(f"meeting_format.{card.format.value}"), topic=card.topic, pair=card.pair,
               status=t.plain(f"meetings.status_{card.status.value}"))]
    if card.place:
        lines.append(t("meetings.card_place", place=card.place))
    if card.item:
        lines.append(t("meetings.card_item", item=card.item))
    if card.every_weeks and not card.in_series:
        lines.append(t.plain(f"meetings.every_{card.every_weeks}"))
    if card.answers:
        lines.append(", ".join(f"{'✅' if ok else '✖️'} {html.escape(name, quote=False)}" for name, ok in card.answers))
    return "\n".join(lines)


def meetings_view(t: Translator, cards: list[MeetingCard], can_plan: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("meetings.title")]
    buttons: list[tuple[str, str]] = []
    for n, card in enumerate(cards, start=1):
        lines.append(f"{n}. " + card_text(t, card))
        if card.to_answer:
            buttons += [(t.plain(f"btn.meeting_{word}_n", n=n),
                         MeetingAnswerCb(meeting=card.id, accept=accept, version=card.sequence).pack())
                        for word, accept in (("accept", True), ("decline", False))]
        if not card.every_weeks and not card.in_series:
            buttons.append((t.plain("btn.meeting_retime_n", n=n),
                            MeetingCb(action=MeetingAction.RETIME, meeting=card.id).pack()))
        buttons.append((t.plain("btn.meeting_cancel_n", n=n),
                        MeetingCb(action=MeetingAction.CANCEL, meeting=card.id).pack()))
    if not cards:
        lines.append(t("meetings.none"))
    if can_plan:
        buttons.append((t.plain("btn.meeting_plan"), MeetingCb(action=MeetingAction.PLAN, meeting=0).pack()))
    return "\n\n".join(lines), from_pairs(buttons, 2) if buttons else None


def pairs_menu(t: Translator, pairs: list[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    return t("meetings.pick_pair"), from_pairs(
        [(shorten(title, 60), MeetingCb(action=MeetingAction.PLAN, meeting=mentorship_id).pack())
         for mentorship_id, title in pairs])


def choice(field: PlanField, value: str) -> str:
    return PlanChoiceCb(field=field, value=value).pack()


def durations(t: Translator) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain("btn.minutes", n=n), choice(PlanField.DURATION, str(n))) for n in (30, 45, 60, 90)],
                      4)


def formats(t: Translator) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain(f"meeting_format.{f.value}"), choice(PlanField.FORMAT, f.value))
                       for f in MeetingFormat], 2)


def no_place(t: Translator) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain("btn.skip"), choice(PlanField.NO_PLACE, "-"))])


def items_menu(t: Translator, items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return from_pairs([(shorten(activity, 60), choice(PlanField.ITEM, str(item_id))) for item_id, activity in items]
                      + [(t.plain("btn.no_item"), choice(PlanField.ITEM, "0"))])


def repeats(t: Translator) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain(f"btn.repeat_{n}"), choice(PlanField.REPEAT, str(n))) for n in (0, 1, 2)], 1)


def cancel_prompt(t: Translator, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return t("meetings.cancel_sure"), from_pairs(
        [(t.plain("btn.meeting_cancel_sure"), MeetingCb(action=MeetingAction.CANCEL_SURE, meeting=meeting_id).pack())])


def answered_text(t: Translator, status: PlannedMeetingStatus, accept: bool) -> str:
    if not accept:
        return t("meetings.you_declined")
    return t("meetings.you_accepted") if status == PlannedMeetingStatus.ACCEPTED else t("meetings.you_answered")
