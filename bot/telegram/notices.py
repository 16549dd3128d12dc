"""The buttons of a notice (bot/services/notify.py), on Telegram: each action bound to its callback data."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.approvals.callbacks import ApprovalAction, ApprovalCb
from bot.handlers.help_requests.callbacks import HelpCloseCb, HelpRateCb, HelpReplyCb, HelpTakeCb
from bot.handlers.journal.callbacks import MeetingConfirmCb, MeetingHeldCb
from bot.handlers.meetings.callbacks import MeetingAction, MeetingAnswerCb, MeetingCb
from bot.handlers.mentorships.callbacks import ExtensionAnswerCb, MentorshipAnswerCb, ProgramAction, ProgramCb
from bot.handlers.practices.callbacks import PracticeAction, PracticeCb
from bot.handlers.registry.callbacks import RegistryCb, RegistryFilter
from bot.handlers.speed_sessions.callbacks import SpeedAction, SpeedCb, SpeedFeedbackCb
from bot.handlers.surveys.callbacks import SurveyAction, SurveyCb
from bot.services.notify import Action, buttons_from

# what each button of a notice (bot/services/notify.py) is on Telegram
NOTICE_CALLBACKS: dict[Action, Callable[[Mapping[str, Any]], CallbackData]] = {
    Action.TAKE_HELP: lambda a: HelpTakeCb(request=a["request"]),
    Action.REPLY_HELP: lambda a: HelpReplyCb(request=a["request"]),
    Action.CLOSE_HELP: lambda a: HelpCloseCb(request=a["request"]),
    Action.RATE_HELP: lambda a: HelpRateCb(request=a["request"], rating=a["rating"]),
    Action.ANSWER_MENTORSHIP: lambda a: MentorshipAnswerCb(mentorship=a["mentorship"], accept=a["accept"]),
    Action.ANSWER_EXTENSION: lambda a: ExtensionAnswerCb(extension=a["extension"], accept=a["accept"]),
    Action.SHOW_PROGRAM: lambda a: ProgramCb(mentorship=a["mentorship"], action=ProgramAction.SHOW),
    Action.OPEN_APPROVAL: lambda a: ApprovalCb(approval=a["approval"], action=ApprovalAction.SHOW),
    Action.REGISTRY_MENTEES: lambda a: RegistryCb(org=a["org"], role=RegistryFilter.MENTEE, page=0, search=False),
    Action.REGISTRY_MENTORS: lambda a: RegistryCb(org=a["org"], role=RegistryFilter.MENTOR, page=0, search=False),
    Action.CONFIRM_MEETING: lambda a: MeetingConfirmCb(meeting=a["meeting"], comment=a["comment"]),
    Action.ANSWER_MEETING: lambda a: MeetingAnswerCb(meeting=a["meeting"], accept=a["accept"], version=a["version"]),
    Action.RETIME_MEETING: lambda a: MeetingCb(action=MeetingAction.RETIME, meeting=a["meeting"]),
    Action.MEETING_HELD: lambda a: MeetingHeldCb(meeting=a["meeting"], held=a["held"]),
    Action.JOIN_SPEED: lambda a: SpeedCb(session=a["session"], action=SpeedAction.JOIN),
    Action.RATE_SPEED: lambda a: SpeedFeedbackCb(session=a["session"], rating=a["rating"]),
    Action.START_SURVEY: lambda a: SurveyCb(survey=a["survey"], action=SurveyAction.START),
    Action.SURVEY_RESULTS: lambda a: SurveyCb(survey=a["survey"], action=SurveyAction.RESULTS),
    Action.OPEN_PRACTICE: lambda a: PracticeCb(action=PracticeAction.SHOW, practice=a["practice"]),
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
        for row in buttons_from(data)])
