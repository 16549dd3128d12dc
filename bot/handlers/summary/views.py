"""Texts and keyboards of summary, made from the services' data."""
from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.journal.callbacks import JournalCb
from bot.handlers.mentorships.callbacks import PairMenteeCb, ProgramAction, ProgramCb
from bot.handlers.registry.callbacks import PersonCardCb, RegistryFilter
from bot.handlers.render import from_pairs, shorten
from bot.handlers.summary.callbacks import SettingCb, SummaryRequestCb
from bot.i18n import Translator
from bot.services.dates import local_date
from bot.services.summary import PAIRING_SETTINGS, AttentionItem
from db.models import Organization


def attention_label(t: Translator, section: str, item: AttentionItem, zone: str) -> str:
    """An item's button: its icon and text; a mentee without a pair says since when (seed 003 §5.3)."""
    label = t.plain(f"summary.icon.{section}") + " " + shorten(item.text, 50)
    if section == "unpaired_mentees" and isinstance(item.when, datetime):
        label += " " + t.plain("summary.since", date=local_date(item.when, zone))
    return label


def attention_target(section: str, org_id: int, target: int) -> str:
    if section == "unanswered_requests":
        return SummaryRequestCb(request=target).pack()
    if section == "quiet_pairs":
        return JournalCb(mentorship=target, page=0).pack()
    if section == "unpaired_mentees":
        return PairMenteeCb(org=org_id, mentee=target).pack()
    if section == "unreachable":
        return PersonCardCb(org=org_id, person=target, role=RegistryFilter.UNREACHABLE, page=0, search=False).pack()
    if section == "candidates":
        return PersonCardCb(org=org_id, person=target, role=RegistryFilter.MENTOR, page=0, search=False).pack()
    return ProgramCb(mentorship=target, action=ProgramAction.SHOW).pack()


def digest_label(t: Translator, org: Organization) -> str:
    if org.digest_weekday is None:
        return t.plain("btn.digest_off")
    return t.plain("btn.digest", day=t.plain(f"weekday.d{org.digest_weekday}"), hour=f"{org.digest_hour:02d}:00")


def settings_view(t: Translator, org: Organization) -> tuple[str, InlineKeyboardMarkup]:
    """How mentees get their mentors here, each setting a button that turns it over."""
    lines = [t("summary.settings_title", org=org.name)]
    buttons = []
    for name in PAIRING_SETTINGS:
        on = bool(getattr(org, name))
        lines.append(t(f"summary.setting_{name}", state=t.plain("summary.on" if on else "summary.off")))
        buttons.append((t.plain(f"btn.setting_{name}_{'off' if on else 'on'}"), SettingCb(org=org.id, name=name).pack()))
    return "\n".join(lines), from_pairs(buttons)
