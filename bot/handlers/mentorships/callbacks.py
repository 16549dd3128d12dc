"""Callback data of the buttons of mentorships. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from db.models import AssessmentStage, CompletionReason, MentoringForm, MentoringKind, ReplacementGround, TrainingKind


class PairMenteeCb(CallbackData, prefix="pm"):
    org: int
    mentee: int


class PairMentorCb(CallbackData, prefix="pk"):
    mentor: int


class PairAddCb(CallbackData, prefix="pa"):
    mentee: int  # 0: no more mentees, go on


class PairFormCb(CallbackData, prefix="pf"):
    form: MentoringForm


class PairKindCb(CallbackData, prefix="pq"):
    kind: MentoringKind


class MentorshipAnswerCb(CallbackData, prefix="ma"):
    mentorship: int
    accept: bool


class ProgramAction(StrEnum):
    SHOW = "show"
    CREATE = "create"
    ITEM = "item"
    EXTEND = "extend"
    COMPLETE = "complete"
    ASK_REPLACE = "ask_replace"  # a participant asks the curator
    REPLACE = "replace"  # the curator replaces
    CORRECT = "correct"  # a participant picks a plan item to correct
    GOALS = "goals"  # a participant changes the goals
    FORM = "form"  # the curator changes the form and the kind
    HISTORY = "history"  # the program's changes
    ASSESS = "assess"  # rate the difficulties: a self-assessment, or the mentor's of a mentee


class ProgramCb(CallbackData, prefix="pg"):
    mentorship: int
    action: ProgramAction


class ItemDoneCb(CallbackData, prefix="pi"):
    item: int


class ExtendCb(CallbackData, prefix="xm"):
    program: int
    months: int


class ExtensionAnswerCb(CallbackData, prefix="xa"):
    extension: int
    accept: bool


class CompleteCb(CallbackData, prefix="cr"):
    mentorship: int
    reason: CompletionReason


class GroundCb(CallbackData, prefix="gr"):
    mentorship: int
    ground: ReplacementGround
    replace: bool  # the curator replaces now (else: a participant asks for it)


class ReplaceMentorCb(CallbackData, prefix="rm"):
    mentorship: int
    ground: ReplacementGround
    mentor: int


class ItemEditAction(StrEnum):
    MENU = "menu"
    ACTIVITY = "activity"
    DUE = "due"
    EXPECTED = "expected"
    DELETE = "delete"  # asks to confirm
    DELETE_CONFIRMED = "deleted"


class ItemEditCb(CallbackData, prefix="ie"):
    item: int
    action: ItemEditAction


class FormChangeCb(CallbackData, prefix="fc"):
    mentorship: int
    form: MentoringForm


class KindChangeCb(CallbackData, prefix="kc"):
    mentorship: int
    form: MentoringForm
    kind: MentoringKind


class AbsenceAction(StrEnum):
    MENU = "menu"
    PAUSE = "pause"  # a long absence begins
    RETURN = "return"
    DEPART = "depart"  # asks to confirm
    DEPART_CONFIRMED = "departed"


class AbsenceCb(CallbackData, prefix="ab"):
    org: int
    person: int
    action: AbsenceAction


class AdmitCb(CallbackData, prefix="ad"):
    org: int
    person: int


class TrainingCb(CallbackData, prefix="tr"):  # choose the kind
    org: int
    person: int


class TrainingKindCb(CallbackData, prefix="tk"):
    org: int
    person: int
    kind: TrainingKind


class EvalWhoCb(CallbackData, prefix="ew"):
    mentorship: int
    mentee: int


class EvalCb(CallbackData, prefix="ev"):
    mentorship: int
    mentee: int
    stage: AssessmentStage
    item: int
    score: int


class ProgramMonthsCb(CallbackData, prefix="pl"):
    months: int


SKIP_NOTE = "skipnote"


class MentorChoiceCb(CallbackData, prefix="nq"):
    """A mentee without a pair asks this mentor (/mentors)."""
    mentor: int
