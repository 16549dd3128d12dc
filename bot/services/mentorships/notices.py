"""What participants and curators of a pair are told (the outbox), in each one's language."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.notify import Action, Button, Buttons, tell
from bot.services.people import curators_of, current_mentees, current_mentor
from db.models import (
    Mentorship,
    Participant,
    Role,
)


def agree_or_refuse(i18n: I18n, locale: str | None, action: Action, **args: int) -> Buttons:
    t = i18n.get(locale)
    return [[Button(t.plain("btn.agree"), action, {**args, "accept": True}),
             Button(t.plain("btn.refuse"), action, {**args, "accept": False})]]


def describe(m: Mentorship, i18n: I18n, locale: str | None) -> dict[str, str]:
    t = i18n.get(locale)
    mentor = current_mentor(m)
    return {
        "mentor": mentor.person.full_name or "—" if mentor else "—",
        "mentees": ", ".join(p.person.full_name or "—" for p in current_mentees(m)),
        "form": t.plain(f"form.{m.form.value}"),
        "kind": t.plain(f"kind.{m.kind.value}"),
        "status": t.plain(f"mstatus.{m.status.value}"),
    }


async def notify_invitation(session: AsyncSession, m: Mentorship, participant: Participant, now: datetime,
                             i18n: I18n) -> None:
    key = "pairs.invite_mentor" if participant.role == Role.MENTOR else "pairs.invite_mentee"
    await tell(session, participant.person, key, now, i18n,
                buttons=agree_or_refuse(i18n, participant.person.locale, Action.ANSWER_MENTORSHIP, mentorship=m.id),
                **describe(m, i18n, participant.person.locale))


async def notify_all(session: AsyncSession, m: Mentorship, key: str, now: datetime, i18n: I18n,
                      curators: bool = True, skip: int | None = None, **params) -> None:
    """The current participants (and the curators), each once; a callable parameter is given each
    recipient's Translator (a word in their language)."""
    people = [p.person for p in m.participants if p.left_at is None and p.declined_at is None]
    if curators:
        people += await curators_of(session, m.organization_id)
    seen: set[int] = set()
    for person in people:
        if person.id in seen or person.id == skip:
            continue
        seen.add(person.id)
        t = i18n.get(person.locale)
        values = {k: (v(t) if callable(v) else v) for k, v in params.items()}
        await tell(session, person, key, now, i18n, **(describe(m, i18n, person.locale) | values))

