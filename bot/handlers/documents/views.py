"""Texts and keyboards of documents."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.documents.callbacks import (
    DocumentCb,
    DocumentKind,
    MentorDocument,
    MentorDocumentCb,
    MentorsPageCb,
    PeriodChoice,
    RoadmapField,
    RoadmapFieldCb,
    RoadmapStageCb,
)
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.documents import MentorsPage
from bot.services.documents.roadmap import Roadmap

ORG_DOCUMENTS = (("order", DocumentKind.PAIRS_ORDER), ("replacements", DocumentKind.REPLACEMENT_ORDER),
                 ("report", DocumentKind.REPORT), ("roadmap", DocumentKind.ROADMAP), ("mentors", DocumentKind.MENTORS))


def documents_menu(t: Translator, pairs: list[tuple[int, str]], orgs: list[tuple[int, str]],
                   own_portfolios: list[tuple[int, int]] = (), *, region: bool = False) -> tuple[
        str, InlineKeyboardMarkup | None]:
    """`orgs`: where the reader is a curator or head; `own_portfolios`: (organisation, person) where the
    reader is a mentor only; `region`: the reader coordinates organisations below."""
    buttons: list[tuple[str, str]] = []
    if region:
        buttons.append((t.plain("btn.doc_region"), DocumentCb(kind=DocumentKind.REGION_REPORT, target=0).pack()))
    for org_id, name in orgs:
        org = shorten(name, 30)
        buttons += [(t.plain(f"btn.doc_{key}", org=org), DocumentCb(kind=kind, target=org_id).pack())
                    for key, kind in ORG_DOCUMENTS]
    for mentorship_id, title in pairs:
        buttons += [(t.plain("btn.doc_program", title=shorten(title, 40)),
                     DocumentCb(kind=DocumentKind.PROGRAM, target=mentorship_id).pack()),
                    (t.plain("btn.doc_journal", title=shorten(title, 40)),
                     DocumentCb(kind=DocumentKind.JOURNAL, target=mentorship_id).pack())]
    for org_id, person_id in own_portfolios:
        buttons.append((t.plain("btn.doc_own_portfolio"),
                        MentorDocumentCb(org=org_id, person=person_id, kind=MentorDocument.PORTFOLIO).pack()))
    if not buttons:
        return t("documents.none"), None
    return t("documents.pick"), from_pairs(buttons)


def mentors_view(t: Translator, page: MentorsPage) -> tuple[str, InlineKeyboardMarkup]:
    """A page of mentors, each with their portfolio and (for a head) the letter of thanks."""
    buttons = []
    for person_id, name in page.mentors:
        buttons.append((t.plain("btn.doc_portfolio", name=shorten(name, 40)),
                        MentorDocumentCb(org=page.org_id, person=person_id, kind=MentorDocument.PORTFOLIO).pack()))
        if page.head:
            buttons.append((t.plain("btn.doc_thanks", name=shorten(name, 40)),
                            MentorDocumentCb(org=page.org_id, person=person_id, kind=MentorDocument.THANKS).pack()))
    if page.page > 0:
        buttons.append(("◀", MentorsPageCb(org=page.org_id, page=page.page - 1).pack()))
    if page.page < page.pages - 1:
        buttons.append(("▶", MentorsPageCb(org=page.org_id, page=page.page + 1).pack()))
    text = t("documents.mentors", page=page.page + 1, pages=page.pages) if page.mentors else t("documents.no_mentors")
    return text, from_pairs(buttons)


def period_menu(t: Translator, kind: DocumentKind, target: int) -> tuple[str, InlineKeyboardMarkup]:
    return t("documents.pick_period"), from_pairs(
        [(t.plain(f"btn.period_{choice.value}"), DocumentCb(kind=kind, target=target, period=choice).pack())
         for choice in (PeriodChoice.YEAR, PeriodChoice.LAST_YEAR, PeriodChoice.TYPED)], 1)


def conclusions_prompt(t: Translator, org_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return t("documents.ask_conclusions"), from_pairs(
        [(t.plain("btn.no_conclusions"), DocumentCb(kind=DocumentKind.REPORT_PLAIN, target=org_id).pack())])


def roadmap_view(t: Translator, plan: Roadmap, editable: bool) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("roadmap.title", org=plan.organization_name, year=plan.year, next_year=plan.year + 1)]
    for s in plan.stages:
        lines.append(t("roadmap.line", n=s.number, title=s.title, dates=s.dates, responsible=s.responsible)
                     + (" " + t("roadmap.result", result=s.result) if s.result else ""))
    buttons = [(f"✏️ {s.number}", RoadmapStageCb(org=plan.organization_id, stage=s.number).pack())
               for s in plan.stages] if editable else []
    buttons.append((t.plain("btn.roadmap_docx"),
                    DocumentCb(kind=DocumentKind.ROADMAP_DOCX, target=plan.organization_id).pack()))
    kb = from_pairs(buttons, 5)
    return "\n".join(lines), kb


def stage_menu(t: Translator, plan: Roadmap, number: int) -> tuple[str, InlineKeyboardMarkup]:
    s = plan.stages[number - 1]
    return t("roadmap.stage", n=s.number, title=s.title, dates=s.dates, responsible=s.responsible), from_pairs([
        (t.plain("btn.roadmap_dates"), RoadmapFieldCb(org=plan.organization_id, stage=number,
                                                      field=RoadmapField.DATES).pack()),
        (t.plain("btn.roadmap_people"), RoadmapFieldCb(org=plan.organization_id, stage=number,
                                                       field=RoadmapField.RESPONSIBLE).pack()),
        (t.plain("btn.roadmap_back"), DocumentCb(kind=DocumentKind.ROADMAP, target=plan.organization_id).pack())], 2)
