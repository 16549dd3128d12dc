"""Callback data factories. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.notify import Action, buttons_of
from db.models import CompletionReason, MentoringForm, MentoringKind, ReplacementGround, Role


class ConsentCb(CallbackData, prefix="cs"):
    accept: bool


class StepChoiceCb(CallbackData, prefix="pc"):
    step: str
    value: str


class StepTopicCb(CallbackData, prefix="pt"):
    step: str
    topic: int  # 0 means "done"


class StepSkipCb(CallbackData, prefix="ps"):
    step: str


class ProfileEditCb(CallbackData, prefix="pe"):
    step: str


class InviteRoleCb(CallbackData, prefix="ir"):
    org: int
    role: Role  # an Enum: a forged value does not match, and the fallback answers it


class OrgPickCb(CallbackData, prefix="op"):
    org: int
    purpose: str


class RegistryCb(CallbackData, prefix="rg"):
    org: int
    role: str  # a Role value or "all"
    page: int
    search: bool  # use the query kept in the dialog data


class RegistrySearchCb(CallbackData, prefix="rs"):
    org: int
    role: str


class PersonCardCb(CallbackData, prefix="rp"):
    org: int
    person: int
    role: str
    page: int
    search: bool


class WithdrawCb(CallbackData, prefix="wd"):
    org: int
    confirm: bool


class LanguageCb(CallbackData, prefix="lg"):
    code: str


NOOP = "noop"  # a button that only shows state (current page, current filter)
KEEP_CONSENT = "wdk"  # "no, keep my consent"


# ------------------------------------------------------------------ pairs, groups, programs
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


class ProgramMonthsCb(CallbackData, prefix="pl"):
    months: int


SKIP_NOTE = "skipnote"


# ------------------------------------------------------------------ situational mentoring
class HelpTopicCb(CallbackData, prefix="hq"):
    topic: int  # 0: another topic


class HelpTakeCb(CallbackData, prefix="ht"):
    request: int


class HelpReplyCb(CallbackData, prefix="hr"):
    request: int


class HelpCloseCb(CallbackData, prefix="hc"):
    request: int


class HelpRateCb(CallbackData, prefix="hg"):
    request: int
    rating: int


SKIP_COMMENT = "skipcomment"


# -------------------------------------------------------------------------- meeting journal
class MeetingConfirmCb(CallbackData, prefix="mc"):
    meeting: int
    comment: bool


class LogPairCb(CallbackData, prefix="lp"):
    mentorship: int


class LogChoiceCb(CallbackData, prefix="lc"):
    field: str  # date | duration | format | item
    value: str


class JournalCb(CallbackData, prefix="jr"):
    mentorship: int
    page: int


# --------------------------------------------------------------------------- speed sessions
class SpeedAction(StrEnum):
    SHOW = "show"
    NEW = "new"
    JOIN = "join"
    LEAVE = "leave"
    ATTENDANCE = "attendance"
    MOVE = "move"
    CANCEL = "cancel"


class SpeedCb(CallbackData, prefix="sp"):
    session: int
    action: SpeedAction


class SpeedAttendCb(CallbackData, prefix="sa"):
    session: int
    person: int  # 0: attendance is final


class SpeedFeedbackCb(CallbackData, prefix="sf"):
    session: int
    rating: int


class SpeedAudienceCb(CallbackData, prefix="su"):
    value: str  # all | category.<value> | topic.<id> (":" separates callback fields)


# ---------------------------------------------------------------------------------- surveys
class SurveyAction(StrEnum):
    SHOW = "show"
    NEW = "new"
    START = "start"
    LAUNCH = "launch"
    ANON = "anon"  # anonymous or not, while a draft
    DELETE = "delete"
    CLOSE = "close"
    RESULTS = "results"
    XLSX = "xlsx"


class SurveyCb(CallbackData, prefix="qs"):
    survey: int
    action: SurveyAction


class SurveyNewCb(CallbackData, prefix="qn"):
    kind: str  # mentee | mentor (the templates) | custom


class SurveyAudienceCb(CallbackData, prefix="qu"):
    value: str  # mentees | mentors | everyone | programs (pick one) | program.<mentorship id>


class SurveyDeadlineCb(CallbackData, prefix="qd"):
    days: int


class SurveyKindCb(CallbackData, prefix="qk"):
    kind: str  # a QuestionKind value


class SurveyRequiredCb(CallbackData, prefix="qr"):
    required: bool


class SurveyBuildCb(CallbackData, prefix="qb"):
    action: str  # more | done


class SurveyAnswerCb(CallbackData, prefix="qa"):
    survey: int
    q: int  # the question's index; the summary is index len(questions)
    v: str  # 1..10 | y | n | o<i> (option) | t<i> (toggle) | d (multi done) | s (skip) | b (back) | send


# ------------------------------------------------------------------- summaries and exports
class SummaryCb(CallbackData, prefix="sm"):
    org: int  # 0: the coordinator's view
    page: int  # the coordinator's page of organisations


class SummaryRequestCb(CallbackData, prefix="sr"):
    request: int


class DigestCb(CallbackData, prefix="dg"):
    org: int
    day: int  # -1: choose the day; 0..6 Monday..Sunday; 7: off
    hour: int  # -1: choose the hour


class StaffCb(CallbackData, prefix="sx"):
    org: int


class ExportCb(CallbackData, prefix="ex"):
    org: int  # 0: the coordinator's workbook
    period: str  # month | prev_month | year | all | ask (choose)


# ------------------------------------------------------------------- buttons of the notices
# what each button of a notice (bot/services/notify.py) is on Telegram
NOTICE_CALLBACKS: dict[Action, Callable[[Mapping[str, Any]], CallbackData]] = {
    Action.TAKE_HELP: lambda a: HelpTakeCb(request=a["request"]),
    Action.REPLY_HELP: lambda a: HelpReplyCb(request=a["request"]),
    Action.CLOSE_HELP: lambda a: HelpCloseCb(request=a["request"]),
    Action.RATE_HELP: lambda a: HelpRateCb(request=a["request"], rating=a["rating"]),
    Action.ANSWER_MENTORSHIP: lambda a: MentorshipAnswerCb(mentorship=a["mentorship"], accept=a["accept"]),
    Action.ANSWER_EXTENSION: lambda a: ExtensionAnswerCb(extension=a["extension"], accept=a["accept"]),
    Action.CONFIRM_MEETING: lambda a: MeetingConfirmCb(meeting=a["meeting"], comment=a["comment"]),
    Action.JOIN_SPEED: lambda a: SpeedCb(session=a["session"], action=SpeedAction.JOIN),
    Action.RATE_SPEED: lambda a: SpeedFeedbackCb(session=a["session"], rating=a["rating"]),
    Action.START_SURVEY: lambda a: SurveyCb(survey=a["survey"], action=SurveyAction.START),
    Action.SURVEY_RESULTS: lambda a: SurveyCb(survey=a["survey"], action=SurveyAction.RESULTS),
}


def notice_markup(stored: str | None) -> InlineKeyboardMarkup | None:
    """The keyboard of a notice as stored in the outbox (its buttons' actions), for Telegram. A row queued
    before the buttons were stored as actions holds Telegram's own markup, which is sent as it is."""
    if not stored:
        return None
    data = json.loads(stored)
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=b.text or "—", callback_data=NOTICE_CALLBACKS[b.action](b.args).pack()) for b in row]
        for row in buttons_of(stored)])
