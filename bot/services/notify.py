"""The outbox: every notification is a row written with the change that causes it.

`enqueue` adds the row to the caller's transaction (it never commits); the sender delivers it. A
notice says what to say: its text, and buttons as what they do (an `Action` and its arguments), not as
any messenger's keyboard: the Telegram side turns them into callback data when it sends
(bot/telegram/notices.py, `notice_markup`), and another channel would turn them into its own. Reachability
of people (403 from Telegram) is kept here too.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.people import PersonRef, person_ref
from db.models import Notification, NotificationStatus, Person

WAKE_FLAG = "outbox_wake"  # set in session.info; the session middleware wakes the sender after the update


class Action(StrEnum):
    """What a button of a notice does. Each channel binds every one of these (tests/test_notifications.py)."""

    TAKE_HELP = "help_take"  # request
    REPLY_HELP = "help_reply"  # request
    CLOSE_HELP = "help_close"  # request
    RATE_HELP = "help_rate"  # request, rating
    ANSWER_MENTORSHIP = "mentorship_answer"  # mentorship, accept
    ANSWER_EXTENSION = "extension_answer"  # extension, accept
    SHOW_PROGRAM = "program_show"  # mentorship
    OPEN_APPROVAL = "approval_open"  # approval
    REGISTRY_MENTEES = "registry_mentees"  # org
    REGISTRY_MENTORS = "registry_mentors"  # org
    CONFIRM_MEETING = "meeting_confirm"  # meeting, comment
    ANSWER_MEETING = "planned_answer"  # meeting, accept, version
    RETIME_MEETING = "planned_retime"  # meeting
    MEETING_HELD = "planned_held"  # meeting, held
    JOIN_SPEED = "speed_join"  # session
    RATE_SPEED = "speed_rate"  # session, rating
    START_SURVEY = "survey_start"  # survey
    SURVEY_RESULTS = "survey_results"  # survey
    OPEN_PRACTICE = "practice_open"  # practice


@dataclass(frozen=True)
class Button:
    text: str  # plain text (no markup), in the recipient's language
    action: Action
    args: Mapping[str, int | bool] = field(default_factory=dict)


Buttons = Sequence[Sequence[Button]]  # rows


def buttons_json(rows: Buttons | None) -> str | None:
    if not rows:
        return None
    return json.dumps({"buttons": [[{"text": b.text, "action": b.action.value, "args": dict(b.args)} for b in row]
                                   for row in rows]}, ensure_ascii=False)


def buttons_from(data: Mapping[str, Any]) -> list[list[Button]]:
    """The rows of buttons of a notice's stored JSON, once parsed."""
    return [[Button(b["text"], Action(b["action"]), b["args"]) for b in row] for row in data["buttons"]]


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    text: str,
    kind: str,
    now: datetime,
    person_id: int | None = None,
    buttons: Buttons | None = None,
    dedup_key: str | None = None,
    not_before: datetime | None = None,
    copy_of: tuple[int, int] | None = None,
    photo: bytes | None = None,
    attachment: tuple[bytes, str] | None = None,
    fresh: bool = False,
) -> Notification | None:
    """Add a notification to the caller's transaction. With a `dedup_key` seen before, nothing is
    added and None is returned: enqueueing is idempotent per key. With `copy_of` (chat id, message
    id) the user's message is copied (a photo, a document) and `text` becomes its caption; with
    `photo` (PNG bytes) the picture is sent with `text` as its caption (at most 1024 characters), and with
    `attachment` (content, file name) the file is.
    `fresh`: the caller knows the key is new (it names a row made in this transaction), so it is not
    looked up. The row is written with the caller's next query or commit: notifications queued one
    after another go in one INSERT."""
    if dedup_key is not None and not fresh:
        exists = await session.scalar(select(Notification.id).where(Notification.dedup_key == dedup_key))
        if exists is not None:
            return None
    notification = Notification(
        chat_id=chat_id,
        person_id=person_id,
        kind=kind,
        text=text,
        reply_markup=buttons_json(buttons),
        dedup_key=dedup_key,
        status=NotificationStatus.PENDING,
        attempts=0,
        parts_sent=0,
        next_attempt_at=not_before or now,
        created_at=now,
        copy_from_chat_id=copy_of[0] if copy_of else None,
        copy_message_id=copy_of[1] if copy_of else None,
        photo=photo,
        attachment=attachment[0] if attachment else None,
        attachment_name=attachment[1] if attachment else None,
    )
    session.add(notification)
    session.info[WAKE_FLAG] = True
    return notification


async def mark_unreachable(session: AsyncSession, chat_id: int, now: datetime, error: str) -> None:
    """Telegram said 403: the person blocked the bot. Stop everything queued for them."""
    await session.execute(
        update(Person).where(Person.telegram_id == chat_id, Person.unreachable_at.is_(None)).values(unreachable_at=now)
    )
    await session.execute(
        update(Notification)
        .where(Notification.chat_id == chat_id,
               Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.SENDING]))
        .values(status=NotificationStatus.UNREACHABLE, last_error=error[:300])
    )


async def mark_reachable(session: AsyncSession, person_id: int) -> None:
    """They wrote to the bot again, so it can write to them."""
    await session.execute(update(Person).where(Person.id == person_id).values(unreachable_at=None))
    await session.commit()


async def tell(session: AsyncSession, person: PersonRef | Person, key: str, now: datetime, i18n: I18n,
               buttons: Buttons | None = None, dedup_key: str | None = None,
               attachment: tuple[bytes, str] | None = None, **params) -> None:
    """A notice to a person in their language: the text `key` of the locale with `params` (with
    `attachment`, the caption of that file)."""
    ref = person if isinstance(person, PersonRef) else person_ref(person)
    if ref.telegram_id is None:
        return
    t = i18n.get(ref.locale)
    await enqueue(session, chat_id=ref.telegram_id, person_id=ref.person_id, kind=key.split(".")[0],
                  text=t(key, **params), buttons=buttons, now=now, dedup_key=dedup_key, attachment=attachment)
