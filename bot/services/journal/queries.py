"""The statements of journal, built once at import."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, bindparam, func, select

from db.models import (
    MeetingConfirmation,
    MeetingLog,
    PlanItem,
)

PAGE = 5


# /journal's statements, built once (building them cost more than running them). A page is one
# statement: its meetings with the journal's totals (window functions, counted before the LIMIT) and
# each meeting's confirmations counted; the comments are read only when a meeting on the page has any.
_PAIR = bindparam("mentorship_id", type_=MeetingLog.mentorship_id.type)


JOURNAL_TOTALS = select(func.count(), func.coalesce(func.sum(MeetingLog.duration_minutes), 0)).where(
    MeetingLog.mentorship_id == _PAIR)


def _confirmations(*conditions: Any) -> Any:
    return (select(func.count(MeetingConfirmation.id))
            .where(MeetingConfirmation.meeting_id == MeetingLog.id, *conditions).scalar_subquery())


JOURNAL_PAGE = (select(MeetingLog.id, MeetingLog.held_on, MeetingLog.duration_minutes, MeetingLog.format,
                       MeetingLog.channel, MeetingLog.topic, MeetingLog.summary, MeetingLog.next_steps,
                       PlanItem.activity, func.count().over().label("total"),
                       func.sum(MeetingLog.duration_minutes).over().label("minutes"),
                       _confirmations().label("asked"),
                       _confirmations(MeetingConfirmation.confirmed_at.is_not(None)).label("confirmed"),
                       _confirmations(MeetingConfirmation.comment.is_not(None)).label("commented"))
                .outerjoin(PlanItem, PlanItem.id == MeetingLog.plan_item_id)
                .where(MeetingLog.mentorship_id == _PAIR)
                .order_by(MeetingLog.held_on.desc(), MeetingLog.id.desc())
                .offset(bindparam("offset", type_=Integer)).limit(PAGE))


JOURNAL_COMMENTS = (select(MeetingConfirmation.meeting_id, MeetingConfirmation.comment)
                    .where(MeetingConfirmation.meeting_id.in_(bindparam("ids", expanding=True)),
                           MeetingConfirmation.comment.is_not(None))
                    .order_by(MeetingConfirmation.id))
