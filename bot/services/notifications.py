"""The outbox: every notification is a row written with the change that causes it.

`enqueue` adds the row to the caller's transaction (it never commits); the sender
(`bot/services/sender.py`) delivers it. Reachability of people (403 from Telegram) is kept here too.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Notification, NotificationStatus, Person

WAKE_FLAG = "outbox_wake"  # set in session.info; the session middleware wakes the sender after the update


def _markup_json(markup: InlineKeyboardMarkup | dict[str, Any] | None) -> str | None:
    if markup is None:
        return None
    if isinstance(markup, InlineKeyboardMarkup):
        markup = markup.model_dump(mode="json", exclude_none=True)
    return json.dumps(markup, ensure_ascii=False)


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    text: str,
    kind: str,
    now: datetime,
    person_id: int | None = None,
    markup: InlineKeyboardMarkup | dict[str, Any] | None = None,
    dedup_key: str | None = None,
    not_before: datetime | None = None,
    copy_of: tuple[int, int] | None = None,
    photo: bytes | None = None,
    fresh: bool = False,
) -> Notification | None:
    """Add a notification to the caller's transaction. With a `dedup_key` seen before, nothing is
    added and None is returned: enqueueing is idempotent per key. With `copy_of` (chat id, message
    id) the user's message is copied (a photo, a document) and `text` becomes its caption; with
    `photo` (PNG bytes) the picture is sent with `text` as its caption (at most 1024 characters).
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
        reply_markup=_markup_json(markup),
        dedup_key=dedup_key,
        status=NotificationStatus.PENDING,
        attempts=0,
        parts_sent=0,
        next_attempt_at=not_before or now,
        created_at=now,
        copy_from_chat_id=copy_of[0] if copy_of else None,
        copy_message_id=copy_of[1] if copy_of else None,
        photo=photo,
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
