"""What a person leaves behind, erased when their last consent is withdrawn (152-ФЗ, art. 21).

Besides the person's own row (consent.py), their name, texts and Telegram id are in other rows: the
outbox (messages to them, and messages to others that name them, quote them or copy their files), their
help requests and rating comments, their comments on meetings, the trainings recorded for them (a
mentor), the ratings of their growth (a mentee), their dialog state. All of it goes, in the
withdrawal's transaction; SQLite's `secure_delete` zeroes what is deleted, and the WAL is
checkpointed and truncated right after the commit (db.engine.checkpoint).

Sent notifications are also scrubbed for everybody after NOTIFY_RETENTION_DAYS (`scrub_sent`): the
outbox keeps what a delivery needs, not what was said.
"""
from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Assessment,
    DialogState,
    HelpRequest,
    MeetingAnswer,
    MeetingConfirmation,
    MentorTraining,
    Notification,
    NotificationStatus,
    Person,
    PlannedMeeting,
    Practice,
    PracticeFile,
)

DELIVERED = (NotificationStatus.SENT, NotificationStatus.FAILED, NotificationStatus.UNREACHABLE,
             NotificationStatus.CANCELLED)


async def erase_traces(session: AsyncSession, person: Person, now: datetime) -> None:
    """Everything about `person` outside their own row (which the caller erases), in the caller's
    transaction. Call before the person's name and Telegram id are cleared: they are what is looked for."""
    await session.execute(update(HelpRequest).where(HelpRequest.mentee_id == person.id).values(
        text="", rating_comment=None, attachment_chat_id=None, attachment_message_id=None))
    await session.execute(update(MeetingConfirmation).where(MeetingConfirmation.person_id == person.id)
                          .values(comment=None))
    await session.execute(delete(MentorTraining).where(MentorTraining.person_id == person.id))
    await session.execute(delete(Assessment).where(Assessment.mentee_id == person.id))
    await session.execute(delete(MeetingAnswer).where(MeetingAnswer.person_id == person.id))
    await session.execute(update(PlannedMeeting).where(PlannedMeeting.proposed_by_id == person.id)
                          .values(topic="—", place=None))  # what they typed when proposing
    await session.execute(delete(PracticeFile).where(PracticeFile.practice_id.in_(
        select(Practice.id).where(Practice.author_id == person.id))))
    await session.execute(delete(Practice).where(Practice.author_id == person.id))  # their texts and files
    about = [Notification.person_id == person.id]
    if person.telegram_id is not None:
        tg = person.telegram_id
        about += [Notification.chat_id == tg, Notification.copy_from_chat_id == tg,
                  Notification.text.contains(str(tg), autoescape=True)]
        await session.execute(delete(DialogState).where(DialogState.key.contains(f":{tg}:", autoescape=True)
                                                        | DialogState.key.endswith(f":{tg}", autoescape=True)))
    for name in {person.full_name, html.escape(person.full_name or "", quote=False)} - {None, ""}:
        about.append(Notification.text.contains(name, autoescape=True))
    await session.execute(delete(Notification).where(or_(*about)))


async def scrub_sent(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """Texts, buttons, pictures and copied-message references of notifications delivered (or given up)
    more than `retention` ago are blanked; the row stays for what it still tells (an offer's key, the
    message id an edit needs). Returns how many were scrubbed."""
    result = await session.execute(update(Notification).where(
        Notification.status.in_(DELIVERED), Notification.text != "",
        Notification.created_at < now - retention).values(
        text="", reply_markup=None, photo=None, attachment=None, attachment_name=None, copy_from_chat_id=None,
        copy_message_id=None, last_error=None))
    await session.commit()
    return result.rowcount or 0
