"""Texts and keyboards of the catalogue, made from services.catalogue's entries."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.catalogue.callbacks import CatalogueAction, CatalogueCb, TopicAction, TopicCb
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.catalogue import Entry


def catalogue_page(t: Translator, org_id: int, entries: list[Entry]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("catalogue.title")]
    for n, e in enumerate(entries, start=1):
        lines.append(t("catalogue.line_retired" if e.retired else "catalogue.line", n=n, title=e.title, used=e.used))
    buttons = [((("🗄 " if e.retired else "✏️ ") + f"{n}. " + shorten(e.title, 45)),
                TopicCb(topic=e.id, action=TopicAction.SHOW).pack()) for n, e in enumerate(entries, start=1)]
    buttons.append((t.plain("btn.catalogue_add"), CatalogueCb(org=org_id, action=CatalogueAction.ADD).pack()))
    return "\n".join(lines), from_pairs(buttons[:60])


def entry_menu(t: Translator, org_id: int, e: Entry) -> tuple[str, InlineKeyboardMarkup]:
    text = t("catalogue.entry", title=e.title, used=e.used) + (
        "\n" + t("catalogue.entry_retired") if e.retired else "")
    toggle = (t.plain("btn.catalogue_restore"), TopicAction.RESTORE) if e.retired else (
        t.plain("btn.catalogue_retire"), TopicAction.RETIRE)
    return text, from_pairs([(t.plain("btn.catalogue_rename"), TopicCb(topic=e.id, action=TopicAction.RENAME).pack()),
                             (toggle[0], TopicCb(topic=e.id, action=toggle[1]).pack()),
                             (t.plain("btn.catalogue_back"), CatalogueCb(org=org_id, action=CatalogueAction.LIST).pack())])
