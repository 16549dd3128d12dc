"""Plan items due soon or overdue: reminders to the pair, once a day in its zone."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services.mentorships import queries
from bot.services.mentorships.notices import describe
from bot.services.mentorships.queries import load_mentorship
from bot.services.mentorships.rules import DUE_SOON_DAYS, REMINDER_HOUR
from bot.services.notify import tell
from bot.services.people import curators_of, current_mentees, current_mentor


async def send_plan_reminders(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """From 09:00 local time: items due in 3 days to the mentor and mentees, overdue items to the
    curators. Each notice goes once (its outbox key), however often this runs."""
    rows = await queries.items_due_by(session, (now + timedelta(days=DUE_SOON_DAYS + 1)).date())
    sent = 0
    for item, mentorship_id, zone in rows:
        local = now.astimezone(ZoneInfo(zone))
        if local.time() < time(REMINDER_HOUR):
            continue
        today = local.date()
        m = await load_mentorship(session, mentorship_id)
        due = item.due_date.strftime("%d.%m.%Y")
        if today < item.due_date <= today + timedelta(days=DUE_SOON_DAYS):
            for p in [current_mentor(m), *current_mentees(m)]:
                if p is not None:
                    await tell(session, p.person, "program.due_soon", now, i18n, activity=item.activity, due=due,
                                dedup_key=f"plan-item:{item.id}:due-soon:{p.person_id}")
                    sent += 1
        elif item.due_date < today:
            for curator in await curators_of(session, m.organization_id):
                await tell(session, curator, "program.overdue", now, i18n, activity=item.activity, due=due,
                            dedup_key=f"plan-item:{item.id}:overdue:{curator.id}",
                            **describe(m, i18n, curator.locale))
                sent += 1
    await session.commit()
    return sent
