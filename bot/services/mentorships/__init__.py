"""Pairs and groups, their personalised programs and plan items (seeds 000 §2.3, 004 §III.9, §VII).

Every function checks who is acting: curators (and heads) of the organisation form, replace and
see everything there; the mentor and mentees of a mentorship see and work on its program.
Notifications to other people go into the outbox in the same transaction.

pairs: forming, the ranking, confirmations, a pair's card; programs: the plan; corrections: edits
of the plan, the goals, the form and kind, kept in the program's history; completion: completing,
replacing the mentor, leaving; reminders; history; notices: what people are told; rules and queries
beside them. The names the handlers use are here.
"""
from __future__ import annotations

from bot.services.mentorships.absence import Standing, end_absence, record_absence, record_departure, standing
from bot.services.mentorships.completion import complete, leave_all, replace_mentor, request_replacement
from bot.services.mentorships.corrections import (
    ChangeEntry,
    ItemCard,
    change_form_kind,
    change_goals,
    change_line,
    changes,
    delete_item,
    edit_item,
    item_card,
)
from bot.services.mentorships.evaluation import (
    SCORES,
    Growth,
    Question,
    end_opens,
    growth,
    next_question,
    rate,
    targets,
)
from bot.services.mentorships.history import HistoryEntry, history_for
from bot.services.mentorships.notices import describe, notify_all
from bot.services.mentorships.pairs import (
    MentorshipView,
    MentorSuggestion,
    check_pending,
    mentor_load,
    my_mentorships,
    pair_people,
    propose,
    respond,
    start,
    suggest_mentors,
    unpaired_mentees,
    view,
)
from bot.services.mentorships.programs import (
    add_item,
    answer_extension,
    check_due,
    complete_item,
    create_program,
    item_mentorship,
    program_term,
    request_extension,
)
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.reminders import send_plan_reminders
from bot.services.mentorships.rules import ALLOWED_REASONS, MAX_GROUP, REMINDER_HOUR, clean_text, local_today
from bot.services.mentorships.selection import (
    MentorStanding,
    admit,
    mentor_standing,
    record_training,
)
from bot.services.mentorships.self_choice import MentorProfile, choosable, choose

__all__ = [
    "MentorProfile",
    "choosable",
    "choose",
    "ALLOWED_REASONS",
    "SCORES",
    "Growth",
    "Question",
    "end_opens",
    "growth",
    "next_question",
    "rate",
    "targets",
    "MentorStanding",
    "admit",
    "mentor_standing",
    "record_training",
    "Standing",
    "end_absence",
    "record_absence",
    "record_departure",
    "standing",
    "REMINDER_HOUR",
    "describe",
    "notify_all",
    "start",
    "ChangeEntry",
    "ItemCard",
    "change_form_kind",
    "change_goals",
    "change_line",
    "changes",
    "delete_item",
    "edit_item",
    "item_card",
    "load_mentorship",
    "HistoryEntry",
    "MAX_GROUP",
    "MentorSuggestion",
    "MentorshipView",
    "add_item",
    "answer_extension",
    "check_due",
    "program_term",
    "check_pending",
    "clean_text",
    "complete",
    "complete_item",
    "create_program",
    "history_for",
    "item_mentorship",
    "leave_all",
    "local_today",
    "mentor_load",
    "my_mentorships",
    "pair_people",
    "propose",
    "replace_mentor",
    "request_extension",
    "request_replacement",
    "respond",
    "send_plan_reminders",
    "suggest_mentors",
    "unpaired_mentees",
    "view",
]
