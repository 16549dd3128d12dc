"""Texts and keyboards of profile, made from the services' data."""
from __future__ import annotations

import html

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.profile.callbacks import ProfileEditCb, StepChoiceCb, StepSkipCb, StepTopicCb
from bot.handlers.render import Keyboard, label
from bot.i18n import Safe, Translator
from bot.services.dates import local_date
from bot.services.profile import PersonView
from db.models import MenteeCategory, Role


def yes_no(t: Translator, step: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.yes"), callback_data=StepChoiceCb(step=step, value="1"))
    kb.button(text=t.plain("btn.no"), callback_data=StepChoiceCb(step=step, value="0"))
    return kb.adjust(2).as_markup()


def categories(t: Translator, step: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for category in MenteeCategory:
        kb.button(text=t.plain(f"category.{category.value}"),
                  callback_data=StepChoiceCb(step=step, value=category.value))
    return kb.adjust(1).as_markup()


def capacity(step: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for n in range(1, 7):
        kb.button(text=str(n), callback_data=StepChoiceCb(step=step, value=str(n)))
    return kb.adjust(6).as_markup()


def topics(t: Translator, step: str, choices: list[tuple[int, str]], selected: set[int]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for topic_id, title in choices:
        mark = "✅ " if topic_id in selected else "▫️ "
        kb.button(text=label(mark + title, 60), callback_data=StepTopicCb(step=step, topic=topic_id))
    kb.button(text=t.plain("btn.done", count=len(selected)), callback_data=StepTopicCb(step=step, topic=0))
    return kb.adjust(1).as_markup()


def skip_keyboard(t: Translator, step: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.skip"), callback_data=StepSkipCb(step=step))
    return kb.as_markup()


def profile_edit(t: Translator, view: PersonView) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for name in ("full_name", "position", "subject", "experience", "under_35"):
        kb.button(text=t.plain(f"btn.edit.{name}"), callback_data=ProfileEditCb(step=name))
    for part in view.roles:
        names = {Role.MENTEE: ("category", "difficulties", "note"),
                 Role.MENTOR: ("competencies", "capacity", "beyond")}
        for name in names.get(part.role, ()):
            text = t.plain(f"btn.edit.{name}")
            if len({r.organization_id for r in view.roles}) > 1:
                text = f"{text} · {label(part.organization_name, 20)}"
            kb.button(text=text, callback_data=ProfileEditCb(step=f"{name}.{part.membership_id}"))
    return kb.adjust(2).as_markup()


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
            lines.append(t("profile.field.beyond", value=Safe(_value(t, part.beyond_school))))
    return "\n".join(lines)
