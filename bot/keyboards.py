"""Inline keyboards. Button texts are plain (Telegram does not parse HTML there)."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    KEEP_CONSENT,
    NOOP,
    ConsentCb,
    InviteRoleCb,
    LanguageCb,
    OrgPickCb,
    PersonCardCb,
    ProfileEditCb,
    RegistryCb,
    RegistrySearchCb,
    StepChoiceCb,
    StepSkipCb,
    StepTopicCb,
    WithdrawCb,
)
from bot.i18n import Translator
from bot.services.profile import PersonView
from bot.services.registry import RegistryPage
from db.models import MenteeCategory, Role

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


def consent(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.consent_accept"), callback_data=ConsentCb(accept=True))
    kb.button(text=t.plain("btn.consent_decline"), callback_data=ConsentCb(accept=False))
    return kb.adjust(1).as_markup()


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


def skip(t: Translator, step: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.skip"), callback_data=StepSkipCb(step=step))
    return kb.as_markup()


def profile_edit(t: Translator, view: PersonView) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for name in ("full_name", "position", "subject", "experience", "under_35"):
        kb.button(text=t.plain(f"btn.edit.{name}"), callback_data=ProfileEditCb(step=name))
    for part in view.roles:
        names = {Role.MENTEE: ("category", "difficulties", "note"), Role.MENTOR: ("competencies", "capacity")}
        for name in names.get(part.role, ()):
            text = t.plain(f"btn.edit.{name}")
            if len({r.organization_id for r in view.roles}) > 1:
                text = f"{text} · {label(part.organization_name, 20)}"
            kb.button(text=text, callback_data=ProfileEditCb(step=f"{name}.{part.membership_id}"))
    return kb.adjust(2).as_markup()


def invite_roles(t: Translator, org_id: int, roles: list[Role]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for role in roles:
        kb.button(text=t.plain(f"role.{role.value}"), callback_data=InviteRoleCb(org=org_id, role=role))
    return kb.adjust(2).as_markup()


def org_pick(orgs: list[tuple[int, str]], purpose: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for org_id, name in orgs:
        kb.button(text=label(name), callback_data=OrgPickCb(org=org_id, purpose=purpose))
    return kb.adjust(1).as_markup()


UNREACHABLE = "unreachable"
REGISTRY_FILTERS: tuple[str, ...] = ("all", "mentee", "mentor", "curator", "head", UNREACHABLE)


def registry_filter(page: RegistryPage) -> str:
    return UNREACHABLE if page.unreachable else page.role.value if page.role else "all"


def registry(t: Translator, page: RegistryPage) -> InlineKeyboardMarkup:
    current = registry_filter(page)
    searching = page.query is not None
    kb = Keyboard()
    for code in REGISTRY_FILTERS:
        text = t.plain(f"registry.filter.{code}")
        if code == current:
            kb.button(text=f"• {text}", callback_data=NOOP)
        else:
            kb.button(text=text, callback_data=RegistryCb(org=page.organization_id, role=code, page=0,
                                                          search=searching))
    sizes = [3, 3]
    for row in page.rows:
        kb.button(text=label(row.full_name or t.plain("registry.no_name")),
                  callback_data=PersonCardCb(org=page.organization_id, person=row.person_id, role=current,
                                             page=page.page, search=searching))
        sizes.append(1)
    if page.pages > 1:
        nav = 0
        if page.page > 0:
            kb.button(text="◀", callback_data=RegistryCb(org=page.organization_id, role=current,
                                                         page=page.page - 1, search=searching))
            nav += 1
        kb.button(text=f"{page.page + 1}/{page.pages}", callback_data=NOOP)
        nav += 1
        if page.page < page.pages - 1:
            kb.button(text="▶", callback_data=RegistryCb(org=page.organization_id, role=current,
                                                         page=page.page + 1, search=searching))
            nav += 1
        sizes.append(nav)
    kb.button(text=t.plain("btn.search"), callback_data=RegistrySearchCb(org=page.organization_id, role=current))
    if searching:
        kb.button(text=t.plain("btn.search_reset"),
                  callback_data=RegistryCb(org=page.organization_id, role=current, page=0, search=False))
        sizes.append(2)
    else:
        sizes.append(1)
    return kb.adjust(*sizes).as_markup()


def card_back(t: Translator, cb: PersonCardCb) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.back_to_list"),
              callback_data=RegistryCb(org=cb.org, role=cb.role, page=cb.page, search=cb.search))
    return kb.as_markup()


def withdraw(t: Translator, orgs: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for org_id, name in orgs:
        text = t.plain("btn.withdraw") if len(orgs) == 1 else f"{t.plain('btn.withdraw')} · {label(name, 24)}"
        kb.button(text=text, callback_data=WithdrawCb(org=org_id, confirm=False))
    return kb.adjust(1).as_markup()


def withdraw_confirm(t: Translator, org_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.withdraw_confirm"), callback_data=WithdrawCb(org=org_id, confirm=True))
    kb.button(text=t.plain("btn.withdraw_keep"), callback_data=KEEP_CONSENT)
    return kb.adjust(1).as_markup()


def languages() -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text="Русский", callback_data=LanguageCb(code="ru"))
    kb.button(text="English", callback_data=LanguageCb(code="en"))
    return kb.adjust(2).as_markup()



# ------------------------------------------------------------------ pairs, groups, programs
def mentorship_answer(t: Translator, mentorship_id: int) -> InlineKeyboardMarkup:
    from bot.callbacks import MentorshipAnswerCb

    kb = Keyboard()
    kb.button(text=t.plain("btn.agree"), callback_data=MentorshipAnswerCb(mentorship=mentorship_id, accept=True))
    kb.button(text=t.plain("btn.refuse"), callback_data=MentorshipAnswerCb(mentorship=mentorship_id, accept=False))
    return kb.adjust(2).as_markup()


def extension_answer(t: Translator, extension_id: int) -> InlineKeyboardMarkup:
    from bot.callbacks import ExtensionAnswerCb

    kb = Keyboard()
    kb.button(text=t.plain("btn.agree"), callback_data=ExtensionAnswerCb(extension=extension_id, accept=True))
    kb.button(text=t.plain("btn.refuse"), callback_data=ExtensionAnswerCb(extension=extension_id, accept=False))
    return kb.adjust(2).as_markup()


def from_pairs(buttons: list[tuple[str, str]], width: int = 1) -> InlineKeyboardMarkup:
    """A keyboard of (text, packed callback data) pairs, texts cut to fit."""
    kb = Keyboard()
    for text, data in buttons:
        kb.button(text=label(text, 60), callback_data=data)
    return kb.adjust(width).as_markup()
