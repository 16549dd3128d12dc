"""The registry: organisations, people, their roles, consents and invites.

Every timestamp is stored in UTC and read back timezone-aware. Personal fields of
a person are nullable: they are filled only after consent and erased on withdrawal.
"""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(str, enum.Enum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"
    HEAD = "head"
    COORDINATOR = "coordinator"


class MenteeCategory(str, enum.Enum):
    YOUNG = "young"  # «молодой педагог»
    NEW_IN_TEAM = "new_in_team"  # «новый педагог в коллективе»
    NON_PEDAGOGICAL = "non_pedagogical"  # «педагог с непедагогическим профильным образованием»
    NEW_TECHNOLOGY = "new_technology"  # «опытный педагог, осваивающий новую технологию»
    NEW_POSITION = "new_position"  # «новая должность»


def _str_enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topics: Mapped[list[Topic]] = relationship(
        back_populates="organization", order_by="Topic.position"
    )


class Topic(Base):
    """An entry of the organisation's catalogue of professional difficulties/competencies.

    Mentees pick their difficulties from it, mentors their competencies, so the two match.
    """

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    organization: Mapped[Organization] = relationship(back_populates="topics")


class Person(Base):
    """A participant. Exists only after a consent was accepted; erased (not deleted) on withdrawal."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    # casefolded name with ё→е, for case-insensitive search on every backend
    search_name: Mapped[str | None] = mapped_column(String(200), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    experience_years: Mapped[int | None] = mapped_column(Integer)
    under_35: Mapped[bool | None] = mapped_column(Boolean)
    locale: Mapped[str | None] = mapped_column(String(8))
    profile_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # set when Telegram answered 403 (the person blocked the bot); cleared when they write again
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", order_by="Membership.id"
    )


class Membership(Base):
    """A role a person holds in an organisation, with that role's part of the profile."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("person_id", "organization_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[Role] = mapped_column(_str_enum(Role, "role"))
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id"))
    # mentee part
    mentee_category: Mapped[MenteeCategory | None] = mapped_column(
        _str_enum(MenteeCategory, "mentee_category")
    )
    difficulties_note: Mapped[str | None] = mapped_column(Text)
    # mentor part: how many mentees the mentor can take at once
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary="membership_topics", order_by="Topic.position")


class MembershipTopic(Base):
    """A mentee's difficulty or a mentor's competency, chosen from the catalogue."""

    __tablename__ = "membership_topics"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )


class Consent(Base):
    """Consent to personal-data processing (152-ФЗ), one per person and organisation (the operator)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    version: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invite(Base):
    """A role- and organisation-bound invitation. Only a hash of the token is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[Role] = mapped_column(_str_enum(Role, "role"))
    max_uses: Mapped[int] = mapped_column(Integer)
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for its time or for a retry
    SENDING = "sending"  # handed to Telegram; if the process dies now, the outcome is in doubt
    SENT = "sent"
    UNREACHABLE = "unreachable"  # the person blocked the bot (403)
    FAILED = "failed"  # Telegram refused it (400) or retries ran out


class Notification(Base):
    """The outbox: written in the same transaction as the change that causes it, delivered by
    the sender. `parts_sent` makes a long text split into several messages resumable."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[str | None] = mapped_column(Text)  # JSON
    # the same key is enqueued once: a job that fires twice after a restart sends once
    dedup_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[NotificationStatus] = mapped_column(
        _str_enum(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))


# APScheduler's job store table, created by our migrations so Alembic owns the whole schema.
# The layout is APScheduler 3's SQLAlchemyJobStore's own.
scheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
