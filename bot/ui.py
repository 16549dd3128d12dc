"""Rendering: texts of cards, lists and pages, and a safe way to edit a message."""
from __future__ import annotations

import html
import re

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Safe, Translator
from bot.keyboards import registry_filter, shorten
from bot.services.dates import local_date
from bot.services.profile import PersonView
from bot.services.registry import RegistryPage
from db.models import Role

_TAGS = re.compile(r"<[^>]+>")


def roles_text(t: Translator, roles: list[Role]) -> str:
    return ", ".join(t.plain(f"role.{r.value}") for r in roles)


def _value(t: Translator, value: object) -> str:
    if value is None or value == "" or value == []:
        return t("profile.empty")
    if isinstance(value, bool):
        return t("btn.yes") if value else t("btn.no")
    return html.escape(str(value), quote=False)


def person_text(t: Translator, view: PersonView, title_key: str = "profile.title") -> str:
    lines = [t(title_key)]
    if not view.complete:
        lines.append(t("profile.incomplete"))
    if view.unreachable_since is not None:
        lines.append(t("profile.unreachable", date=local_date(view.unreachable_since, "UTC")))
    lines += [
        "",
        t("profile.field.full_name", value=Safe(_value(t, view.full_name))),
        t("profile.field.position", value=Safe(_value(t, view.position))),
        t("profile.field.subject", value=Safe(_value(t, view.subject))),
        t("profile.field.experience", value=Safe(_value(t, view.experience_years))),
        t("profile.field.under_35", value=Safe(_value(t, view.under_35))),
    ]
    for part in view.roles:
        lines += ["", t("profile.role_in_org", role=t.plain(f"role.{part.role.value}"), org=part.organization_name)]
        if part.role == Role.MENTEE:
            category = t(f"category.{part.mentee_category.value}") if part.mentee_category else None
            lines.append(t("profile.field.category", value=Safe(_value(t, category and Safe(category)))))
            lines.append(t("profile.field.difficulties", value=Safe(_value(t, "; ".join(part.topics)))))
            lines.append(t("profile.field.note", value=Safe(_value(t, part.difficulties_note))))
        elif part.role == Role.MENTOR:
            lines.append(t("profile.field.competencies", value=Safe(_value(t, "; ".join(part.topics)))))
            lines.append(t("profile.field.capacity", value=Safe(_value(t, part.capacity))))
    return "\n".join(lines)


def registry_text(t: Translator, page: RegistryPage) -> str:
    lines = [t("registry.title", org=page.organization_name)]
    filter_name = t.plain(f"registry.filter.{registry_filter(page)}")
    lines.append(t("registry.filter_line", name=filter_name))
    if page.query:
        lines.append(t("registry.search_line", query=page.query))
    lines.append(t("registry.count_line", total=page.total, page=page.page + 1, pages=page.pages))
    lines.append("")
    if not page.rows:
        lines.append(t("registry.empty"))
    for number, row in enumerate(page.rows, start=page.page * 8 + 1):
        name = row.full_name or t.plain("registry.no_name")
        mark = "" if row.complete else " " + t.plain("registry.incomplete_mark")
        if row.unreachable:
            mark += " " + t.plain("registry.unreachable_mark")
        lines.append(t("registry.row", n=number, name=name, roles=roles_text(t, row.roles), mark=mark))
    return "\n".join(lines)


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


async def mark_answered(callback: CallbackQuery) -> None:
    """Replace the keyboard under an answered question with the answer, so the chat keeps
    a readable record and the buttons cannot be pressed again."""
    message = callback.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    buttons = [b for row in message.reply_markup.inline_keyboard for b in row]
    marked = [b.text.removeprefix("✅ ") for b in buttons if b.text.startswith("✅ ")]
    pressed = [b.text for b in buttons if b.callback_data == callback.data]
    answer = "; ".join(marked) or (pressed[0] if pressed else "")
    if message.text is None or not answer:
        await message.edit_reply_markup(reply_markup=None)
        return
    await message.edit_text(f"{message.html_text}\n→ <b>{html.escape(answer, quote=False)}</b>", reply_markup=None)


# ------------------------------------------------------------------ pairs, groups, programs
CARD_BUDGET = 3800  # visible characters of a program card, below Telegram's 4096


def program_text(t: Translator, v) -> str:  # v: MentorshipView
    from bot.services.message_split import visible_length

    head = [
        t("program.title"),
        t("program.meta", org=v.organization_name, form=t.plain(f"form.{v.form.value}"),
          kind=t.plain(f"kind.{v.kind.value}")),
        t("program.mentor_line", name=v.mentor.name if v.mentor else "—"),
        t("program.mentees_line", names=", ".join(m.name for m in v.mentees) or "—"),
        t("program.status_line", status=t.plain(f"mstatus.{v.status.value}")),
    ]
    if v.completion_reason is not None:
        head.append(t("program.reason_line", reason=t.plain(f"completion.{v.completion_reason.value}")))
    for ref, ground in v.past_mentors:
        head.append(t("program.past_mentor", name=ref.name,
                      ground=t.plain(f"ground.{ground.value}") if ground else "—"))
    if v.program_id is None:
        head += ["", t("program.no_program")]
        return "\n".join(head)
    head += [
        t("program.period", start=v.start_date.strftime("%d.%m.%Y"), end=v.end_date.strftime("%d.%m.%Y")),
        t("program.goals_line", goals=shorten(v.goals, 600)),
        t("program.difficulties_line", difficulties=shorten(v.difficulties, 400)),
        "", t("program.plan_title") if v.items else t("program.plan_empty"),
    ]
    text = "\n".join(head)
    for number, item in enumerate(v.items, start=1):
        mark = "✅" if item.done else "⚠️" if item.overdue else "▫️"
        line = t("program.item", n=number, mark=mark, activity=shorten(item.activity, 160),
                 due=item.due_date.strftime("%d.%m.%Y"), expected=shorten(item.expected_result, 160))
        if item.completion_note:
            line += "\n" + t("program.item_note", note=shorten(item.completion_note, 160))
        if visible_length(text + "\n" + line) > CARD_BUDGET:
            text += "\n" + t("program.more_items", count=len(v.items) - number + 1)
            break
        text += "\n" + line
    return text


def history_text(t: Translator, entries) -> str:  # entries: list[mentorships.HistoryEntry]
    if not entries:
        return ""
    lines = ["", t("history.title")]
    for e in entries:
        key = "history.as_mentor" if e.role == Role.MENTOR else "history.as_mentee"
        line = t(key, others=e.others, status=t.plain(f"mstatus.{e.status.value}"))
        if e.replaced is not None:
            line += " " + t("history.replaced", ground=t.plain(f"ground.{e.replaced.value}"))
        if e.reason is not None:
            line += " " + t("history.reason", reason=t.plain(f"completion.{e.reason.value}"))
        lines.append(line)
    return "\n".join(lines)
