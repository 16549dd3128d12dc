"""A person's pairs and groups over time, for the registry's card."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.mentorships import queries
from bot.services.people import current_mentor
from db.models import (
    CompletionReason,
    MentorshipStatus,
    ReplacementGround,
    Role,
)


@dataclass
class HistoryEntry:
    role: Role
    others: str  # the mentees (for a mentor) or the mentor (for a mentee)
    status: MentorshipStatus
    replaced: ReplacementGround | None
    reason: CompletionReason | None


async def history_for(session: AsyncSession, person_id: int, org_id: int) -> list[HistoryEntry]:
    """Every pair or group the person was in at this organisation, ended ones included (for the
    registry card; the caller has checked that the reader may see the person)."""
    mentorships = await queries.mentorships_of(session, person_id, org_id)
    entries = []
    for m in mentorships:
        for row in (p for p in m.participants if p.person_id == person_id):
            if row.declined_at is not None:
                status = MentorshipStatus.DECLINED
            else:
                status = m.status
            if row.role == Role.MENTOR:
                others = ", ".join(p.person.full_name or "—" for p in m.participants
                                   if p.role == Role.MENTEE and p.declined_at is None)
            else:
                mentor = current_mentor(m)
                others = mentor.person.full_name or "—" if mentor else "—"
            entries.append(HistoryEntry(row.role, others, status, row.replacement_ground, m.completion_reason))
    return entries
