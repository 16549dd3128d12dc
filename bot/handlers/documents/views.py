"""Texts and keyboards of documents."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.documents.callbacks import (
    DocumentCb,
    DocumentKind,
    MentorDocument,
    MentorDocumentCb,
    PeriodChoice,
    RoadmapField,
    RoadmapFieldCb,
    RoadmapStageCb,
)
from bot.handlers.render import from_pairs, shorten
from bot.i18n import Translator
from bot.services.documents.roadmap import Roadmap


def documents_menu(t: Translator, pairs: list[tuple[int, str]], orgs: list[tuple[int, str]],
                   mentors: list[tuple[int, int, str, bool]] = (), *, region: bool = False) -> tuple[
        str, InlineKeyboardMarkup | None]:
    """`mentors`: (organisation, mentor, name, whether the reader is its head: the letter of thanks);
    `region`: the reader coordinates organisations below."""
    buttons: list[tuple[str, str]] = []
    if region:
        buttons.append((t.plain("btn.doc_region"), DocumentCb(kind=DocumentKind.REGION_REPORT, target=0).pack()))
    for org_id, name in orgs:
        buttons += [(t.plain("btn.doc_order", org=shorten(name, 30)),
                     DocumentCb(kind=DocumentKind.PAIRS_ORDER, target=org_id).pack()),
                    (t.plain("btn.doc_replacements", org=shorten(name, 30)),
                     DocumentCb(kind=DocumentKind.REPLACEMENT_ORDER, target=org_id).pack()),
                    (t.plain("btn.doc_report", org=shorten(name, 30)),
                     DocumentCb(kind=DocumentKind.REPORT, target=org_id).pack()),
                    (t.plain("btn.doc_roadmap", org=shorten(name, 30)),
                     DocumentCb(kind=DocumentKind.ROADMAP, target=org_id).pack())]
    for mentorship_id, title in pairs:
        buttons += [(t.plain("btn.doc_program", title=shorten(title, 40)),
                     DocumentCb(kind=DocumentKind.PROGRAM, target=mentorship_id).pack()),
                    (t.plain("btn.doc_journal", title=shorten(title, 40)),
                     DocumentCb(kind=DocumentKind.JOURNAL, target=mentorship_id).pack())]
    for org_id, person_id, name, head in mentors:
        buttons.append((t.plain("btn.doc_portfolio", name=shorten(name, 40)),
                        MentorDocumentCb(org=org_id, person=person_id, kind=MentorDocument.PORTFOLIO).pack()))
        if head:
            buttons.append((t.plain("btn.doc_thanks", name=shorten(name, 40)),
                            MentorDocumentCb(org=org_id, person=person_id, kind=MentorDocument.THANKS).pack()))
    if not buttons:
        return t("documents.none"), None
    return t("documents.pick"), from_pairs(buttons[:40])


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
