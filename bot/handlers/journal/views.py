"""Texts and keyboards of journal, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.common.callbacks import NOOP
from bot.handlers.journal.callbacks import JournalCb, LogChoiceCb
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services import journal as svc
from bot.services.message_split import visible_length


def choice_data(field: str, value: str) -> str:
    return LogChoiceCb(field=field, value=value).pack()


FIELD_LIMITS = (300, 200, 120, 60, 30)  # each free-text field is cut harder until the meeting fits its share
JOURNAL_BUDGET = 3700  # visible characters of a journal page, with room for «saved» above it (4096 in all)


def meeting_block(t: Translator, m: svc.MeetingView, limit: int) -> str:
    fmt = t.plain(f"meeting_format.{m.format.value}") + (f" ({shorten(m.channel, limit)})" if m.channel else "")
    lines = [t("journal.meeting", date=m.held_on.strftime("%d.%m.%Y"), minutes=m.duration_minutes,
               format=fmt, topic=shorten(m.topic, limit), summary=shorten(m.summary, limit),
               confirmed=m.confirmed, of=m.of)]
    if m.next_steps:
        lines.append(t("journal.next", text=shorten(m.next_steps, limit)))
    if m.plan_item:
        lines.append(t("journal.item", text=shorten(m.plan_item, limit)))
    for comment in m.comments:
        lines.append(t("journal.comment", text=shorten(comment, limit)))
    return "\n".join(lines)


def journal_view(t: Translator, page: svc.JournalPage) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t("journal.title", title=page.title),
             t("journal.totals", total=page.total, hours=f"{page.hours:.1f}")]
    share = (JOURNAL_BUDGET - visible_length("\n".join(lines))) // max(1, len(page.meetings)) - 2
    for m in page.meetings:
        for limit in FIELD_LIMITS:
            block = meeting_block(t, m, limit)
            if visible_length(block) <= share:
                break
        lines.append("")
        lines.append(block)
    if not page.meetings:
        lines.append(t("journal.empty"))
    if page.pages <= 1:
        return "\n".join(lines), None
    nav = []
    if page.page > 0:
        nav.append(("◀", JournalCb(mentorship=page.mentorship_id, page=page.page - 1).pack()))
    nav.append((f"{page.page + 1}/{page.pages}", NOOP))
    if page.page < page.pages - 1:
        nav.append(("▶", JournalCb(mentorship=page.mentorship_id, page=page.page + 1).pack()))
    return "\n".join(lines), from_pairs(nav, len(nav))
