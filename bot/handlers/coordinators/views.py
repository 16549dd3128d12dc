"""Texts and keyboards of the coordinator's view, made from services.coordinators' Region."""
from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardMarkup

from bot import reports
from bot.handlers.coordinators.callbacks import RegionCb, RegionOrgCb
from bot.handlers.exports.callbacks import ExportCb, ExportPeriod
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.coordinators import Region
from bot.services.dates import local_date
from bot.services.summary import Indicators
from db.models import Organization

ORGS_PAGE = 10


def region_page(t: Translator, area: Region, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The total, then a page of organisations with a line of figures and a button each."""
    if not area.orgs:
        return t("summary.no_orgs"), None
    pages = (len(area.orgs) + ORGS_PAGE - 1) // ORGS_PAGE
    page = min(max(page, 0), pages - 1)
    head = [t("summary.coordinator_title", count=len(area.orgs)), reports.indicators_text(t, area.total)]
    lines = [t("summary.by_org", page=page + 1, pages=pages)]
    shown = area.orgs[page * ORGS_PAGE:(page + 1) * ORGS_PAGE]
    for org in shown:
        ind = area.figures[org.id]
        lines.append(t("summary.org_line", org=org.name, programs_share=reports.percent(t, ind.programs_share),
                       young_share=reports.percent(t, ind.young_share), pairs=ind.active_pairs,
                       meetings=ind.meetings_month, open=ind.help_open))
    buttons = [(shorten(org.name, 50), RegionOrgCb(org=org.id, page=page).pack()) for org in shown]
    if page > 0:
        buttons.append(("◀", RegionCb(page=page - 1).pack()))
    if page < pages - 1:
        buttons.append(("▶", RegionCb(page=page + 1).pack()))
    buttons.append((t.plain("btn.export"), ExportCb(org=0, period=ExportPeriod.ALL).pack()))
    return "\n".join(head) + "\n\n" + "\n".join(lines), from_pairs(buttons)


def organisation_figures(t: Translator, org: Organization, figures: Indicators, now: datetime,
                         page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One organisation's figures, nothing personal, and the way back to the page it was on."""
    title = t("summary.title", org=org.name, date=local_date(now, org.timezone))
    return "\n\n".join([title, reports.indicators_text(t, figures)]), from_pairs(
        [(t.plain("btn.summary_back"), RegionCb(page=page).pack())])
