"""Callback data of the documents' buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class DocumentKind(StrEnum):
    PROGRAM = "program"  # `target`: the mentorship
    JOURNAL = "journal"  # `target`: the mentorship; the school year so far
    PAIRS_ORDER = "order"  # `target`: the organisation; the school year so far
    REPLACEMENT_ORDER = "replaced"  # `target`: the organisation; the school year so far
    REPORT = "report"  # `target`: the organisation; asks for the curator's conclusions
    REPORT_PLAIN = "report_plain"  # the same, without conclusions
    REGION_REPORT = "region"  # the coordinator's, across the organisations below (`target`: 0)
    ROADMAP = "roadmap"  # `target`: the organisation; the road map in the chat, to edit
    ROADMAP_DOCX = "roadmap_docx"


class DocumentCb(CallbackData, prefix="dc"):
    kind: DocumentKind
    target: int


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
