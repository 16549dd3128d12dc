"""Texts and keyboards of registry, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.common.callbacks import NOOP
from bot.handlers.mentorships.callbacks import AbsenceAction, AbsenceCb
from bot.handlers.profile.views import roles_text
from bot.handlers.registry.callbacks import PersonCardCb, RegistryCb, RegistryFilter, RegistrySearchCb
from bot.handlers.render import Keyboard, label
from bot.i18n import Translator
from bot.services.registry import RegistryPage
from db.models import Role

REGISTRY_FILTERS: tuple[RegistryFilter, ...] = tuple(RegistryFilter)


def registry_filter(page: RegistryPage) -> RegistryFilter:
    if page.unreachable:
        return RegistryFilter.UNREACHABLE
    return RegistryFilter(page.role.value) if page.role else RegistryFilter.ALL


def registry_keyboard(t: Translator, page: RegistryPage) -> InlineKeyboardMarkup:
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


def card_back(t: Translator, cb: PersonCardCb, *, curator: bool = False,
              extra: list[tuple[str, str]] = ()) -> InlineKeyboardMarkup:
    """Back to the list; for the curator, `extra` (a mentor's admission and training) and the person's
    absence or departure too."""
    kb = Keyboard()
    for text, data in extra:
        kb.button(text=text, callback_data=data)
    if curator:
        kb.button(text=t.plain("btn.card_absence"),
                  callback_data=AbsenceCb(org=cb.org, person=cb.person, action=AbsenceAction.MENU))
    kb.button(text=t.plain("btn.back_to_list"),
              callback_data=RegistryCb(org=cb.org, role=cb.role, page=cb.page, search=cb.search))
    return kb.adjust(1).as_markup()


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
