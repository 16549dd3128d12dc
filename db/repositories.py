"""Repositories: queries over one session. They never commit; services do."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from db.models import (
    Consent,
    Invite,
    Membership,
    MembershipTopic,
    Organization,
    Person,
    Role,
    Topic,
)


async def plain_rows(session: AsyncSession, statement: Any, params: Mapping[str, Any] | None = None) -> Sequence[Row]:
    """The rows of a SELECT of columns (no ORM objects), run on the session's connection as Core runs
    it: the same SQL and the same transaction, without the ORM's work around each statement (about an
    eighth of a statement's CPU: bench/updates.py). With changes pending in the session it goes through
    the ORM, which writes them first (autoflush), so the rows still see them."""
    if session.new or session.dirty or session.deleted:
        return (await session.execute(statement, params)).all()
    return (await (await session.connection()).execute(statement, params)).all()


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the wildcards in `text` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class OrganizationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, name: str, timezone: str, topics: Sequence[str]) -> Organization:
        org = Organization(name=name, timezone=timezone)
        self.session.add(org)
        await self.session.flush()
        self.session.add_all(
            Topic(organization_id=org.id, title=title, position=i) for i, title in enumerate(topics)
        )
        await self.session.flush()
        return org

    async def get(self, org_id: int) -> Organization | None:
        return await self.session.get(Organization, org_id)

    async def topics(self, org_id: int) -> Sequence[Topic]:
        rows = await self.session.scalars(
            select(Topic)
            .where(Topic.organization_id == org_id, Topic.archived.is_(False))
            .order_by(Topic.position, Topic.id)
        )
        return rows.all()


class PersonRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        return await self.session.scalar(
            select(Person)
            .where(Person.telegram_id == telegram_id)
            .options(selectinload(Person.memberships).selectinload(Membership.organization))
        )

    async def get(self, person_id: int) -> Person | None:
        return await self.session.scalar(
            select(Person)
            .where(Person.id == person_id)
            .options(
                selectinload(Person.memberships).selectinload(Membership.organization),
                selectinload(Person.memberships).selectinload(Membership.topics),
            )
        )

    async def add(self, telegram_id: int, locale: str | None) -> Person:
        person = Person(telegram_id=telegram_id, locale=locale)
        self.session.add(person)
        await self.session.flush()
        return person


class MembershipRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, membership_id: int) -> Membership | None:
        return await self.session.scalar(
            select(Membership)
            .where(Membership.id == membership_id)
            .options(selectinload(Membership.topics), selectinload(Membership.organization))
        )

    async def find(self, person_id: int, org_id: int, role: Role) -> Membership | None:
        return await self.session.scalar(
            select(Membership).where(
                Membership.person_id == person_id,
                Membership.organization_id == org_id,
                Membership.role == role,
            )
        )

    async def add(self, person_id: int, org_id: int, role: Role, invite_id: int | None) -> Membership:
        membership = Membership(
            person_id=person_id, organization_id=org_id, role=role, invite_id=invite_id
        )
        self.session.add(membership)
        await self.session.flush()
        return membership

    async def set_topics(self, membership_id: int, topic_ids: Sequence[int]) -> None:
        await self.session.execute(
            delete(MembershipTopic).where(MembershipTopic.membership_id == membership_id)
        )
        self.session.add_all(
            MembershipTopic(membership_id=membership_id, topic_id=tid) for tid in sorted(set(topic_ids))
        )
        await self.session.flush()

    async def topic_ids(self, membership_id: int) -> list[int]:
        rows = await self.session.scalars(
            select(MembershipTopic.topic_id).where(MembershipTopic.membership_id == membership_id)
        )
        return list(rows)

    async def end_in_org(self, person_id: int, org_id: int | None, now: datetime) -> None:
        conditions = [Membership.person_id == person_id, Membership.ended_at.is_(None)]
        if org_id is not None:
            conditions.append(Membership.organization_id == org_id)
        await self.session.execute(update(Membership).where(*conditions).values(ended_at=now))

    async def erase_personal_parts(self, person_id: int) -> None:
        ids = select(Membership.id).where(Membership.person_id == person_id).scalar_subquery()
        await self.session.execute(delete(MembershipTopic).where(MembershipTopic.membership_id.in_(ids)))
        await self.session.execute(
            update(Membership).where(Membership.person_id == person_id).values(difficulties_note=None)
        )


class ConsentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, person_id: int, org_id: int, version: str, now: datetime) -> Consent:
        consent = Consent(person_id=person_id, organization_id=org_id, version=version, accepted_at=now)
        self.session.add(consent)
        await self.session.flush()
        return consent

    async def active(self, person_id: int) -> Sequence[Consent]:
        rows = await self.session.scalars(
            select(Consent)
            .where(Consent.person_id == person_id, Consent.withdrawn_at.is_(None))
            .order_by(Consent.id)
        )
        return rows.all()

    async def withdraw(self, person_id: int, org_id: int, now: datetime) -> int:
        result = await self.session.execute(
            update(Consent)
            .where(
                Consent.person_id == person_id,
                Consent.organization_id == org_id,
                Consent.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
        return result.rowcount or 0


class InviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_hash(self, token_hash: str) -> Invite | None:
        return await self.session.scalar(select(Invite).where(Invite.token_hash == token_hash))

    async def consume(self, invite_id: int, now: datetime) -> bool:
        """Take one use, atomically: false when it is used up, expired or revoked meanwhile."""
        result = await self.session.execute(
            update(Invite)
            .where(
                Invite.id == invite_id,
                Invite.used_count < Invite.max_uses,
                Invite.expires_at > now,
                Invite.revoked_at.is_(None),
            )
            .values(used_count=Invite.used_count + 1)
        )
        return (result.rowcount or 0) == 1


class RegistryRepo:
    """The bank of mentors and mentees of one organisation, paged and searchable."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _people(self, org_id: int, role: Role | None, search: str | None, unreachable: bool = False):
        conditions = [
            Membership.organization_id == org_id,
            Membership.ended_at.is_(None),
            Person.erased_at.is_(None),
        ]
        if role is not None:
            conditions.append(Membership.role == role)
        if unreachable:
            conditions.append(Person.unreachable_at.is_not(None))
        if search:
            conditions.append(Person.search_name.like(like_pattern(search), escape="\\"))
        return select(Person.id).join(Membership, Membership.person_id == Person.id).where(and_(*conditions))

    async def count(self, org_id: int, role: Role | None, search: str | None, unreachable: bool = False) -> int:
        ids = self._people(org_id, role, search, unreachable).distinct().subquery()
        return await self.session.scalar(select(func.count()).select_from(ids)) or 0

    async def page(
        self, org_id: int, role: Role | None, search: str | None, offset: int, limit: int, unreachable: bool = False
    ) -> Sequence[Person]:
        ids = self._people(org_id, role, search, unreachable).distinct().subquery()
        rows = await self.session.scalars(
            select(Person)
            .where(Person.id.in_(select(ids.c.id)))
            .order_by(Person.search_name.is_(None), Person.search_name, Person.id)
            .offset(offset)
            .limit(limit)
        )
        return rows.all()

    async def roles(self, org_id: int, person_ids: Sequence[int]) -> dict[int, list[Role]]:
        result: dict[int, list[Role]] = {pid: [] for pid in person_ids}
        if not person_ids:
            return result
        rows = await self.session.execute(
            select(Membership.person_id, Membership.role)
            .where(
                Membership.organization_id == org_id,
                Membership.person_id.in_(person_ids),
                Membership.ended_at.is_(None),
            )
            .order_by(Membership.id)
        )
        for person_id, role in rows:
            result[person_id].append(role)
        return result


class Repos:
    """All repositories over one session (a DAO holder)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.organizations = OrganizationRepo(session)
        self.people = PersonRepo(session)
        self.memberships = MembershipRepo(session)
        self.consents = ConsentRepo(session)
        self.invites = InviteRepo(session)
        self.registry = RegistryRepo(session)
