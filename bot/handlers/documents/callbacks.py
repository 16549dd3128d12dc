"""Callback data of the documents' buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class DocumentKind(StrEnum):
    PROGRAM = "program"  # `target`: the mentorship
    JOURNAL = "journal"  # `target`: the mentorship; of a period
    PAIRS_ORDER = "order"  # `target`: the organisation; of a period
    REPLACEMENT_ORDER = "replaced"  # `target`: the organisation; of a period
    REPORT = "report"  # `target`: the organisation; asks for the curator's conclusions
    REPORT_PLAIN = "report_plain"  # the same, without conclusions
    REGION_REPORT = "region"  # the coordinator's, across the organisations below (`target`: 0)
    ROADMAP = "roadmap"  # `target`: the organisation; the road map in the chat, to edit
    ROADMAP_DOCX = "roadmap_docx"
    MENTORS = "mentors"  # `target`: the organisation; its mentors, for their portfolios


class PeriodChoice(StrEnum):
    ASK = "ask"  # show the choice of period first
    YEAR = "year"  # this school year so far
    LAST_YEAR = "last"
    TYPED = "typed"  # ask for «ДД.ММ.ГГГГ — ДД.ММ.ГГГГ»


PERIODIC = (DocumentKind.JOURNAL, DocumentKind.PAIRS_ORDER, DocumentKind.REPLACEMENT_ORDER)


class DocumentCb(CallbackData, prefix="dc"):
    kind: DocumentKind
    target: int
    period: PeriodChoice = PeriodChoice.ASK  # the documents of a period: PERIODIC


class MentorDocument(StrEnum):
    PORTFOLIO = "portfolio"
    THANKS = "thanks"  # the head's letter of thanks


class MentorDocumentCb(CallbackData, prefix="md"):
    org: int
    person: int
    kind: MentorDocument


class RoadmapField(StrEnum):
    DATES = "dates"
    RESPONSIBLE = "responsible"


class RoadmapStageCb(CallbackData, prefix="dk"):
    org: int
    stage: int


class RoadmapFieldCb(CallbackData, prefix="df"):
    org: int
    stage: int
    field: RoadmapField


class MentorsPageCb(CallbackData, prefix="dm"):
    org: int
    page: int
