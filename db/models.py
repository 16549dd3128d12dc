"""The registry: organisations, people, their roles, consents and invites.

Every timestamp is stored in UTC and read back timezone-aware. Personal fields of
a person are nullable: they are filled only after consent and erased on withdrawal.
"""
from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
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
    false,
    true,
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
    GUEST = "guest"  # an invited outside expert who hosts speed sessions, and sees nothing but their own


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
    # an unaccepted help request goes to the curator after this many working hours
    help_escalation_hours: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    # survey results are shown only with at least this many answers (never below 3)
    survey_min_answers: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # the municipal or regional body above (its coordinators see this organisation's figures)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    # staff figures for the indicators (МПо: all teachers; young teachers under 35), set by the curator;
    # without them the registered people are counted
    teachers_total: Mapped[int | None] = mapped_column(Integer)
    young_teachers_total: Mapped[int | None] = mapped_column(Integer)
    # the weekly digest to the curators, local time; weekday 0 = Monday, None = off
    digest_weekday: Mapped[int | None] = mapped_column(Integer, default=0, server_default="0")
    digest_hour: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last digest's slot
    # pairs, programs and replacements wait for the head's approval where the organisation has a head
    approvals: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # mentors are offered in /pair only once the curator has admitted them (seed 000 §4.1, 003 §4)
    mentor_selection: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # the organisation's Telegram channel, where the bot (its admin) posts practices (/practices)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    # a mentee without a pair may choose a mentor (/mentors; seed 001, model 8: self-regulated mentoring)
    mentor_self_choice: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
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
    # a mentor who helps beyond their school: offered help requests of the organisations around it (#25)
    beyond_school: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # left the organisation (or the role)
    absent_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a long absence the curator recorded
    # a mentor candidate admitted by the curator (seed 000 §4.1, 003 §4): offered in /pair from then on
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
    CANCELLED = "cancelled"  # no longer needed before it went out (an offer someone else took)


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
    # the message Telegram made of the last part: lets the bot edit what it sent (a taken offer)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # a copy of a user's message (a relayed photo or document) instead of text; `text` is its caption
    copy_from_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    copy_message_id: Mapped[int | None] = mapped_column(BigInteger)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)  # a PNG sent with the text as its caption
    # a file sent with the text as its caption (a meeting's .ics)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    attachment_name: Mapped[str | None] = mapped_column(String(100))


# APScheduler's job store table, created by our migrations so Alembic owns the whole schema.
# The layout is APScheduler 3's SQLAlchemyJobStore's own.
scheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


# ------------------------------------------------------------------ pairs, groups, programs
class MentoringForm(str, enum.Enum):
    """Forms of mentoring (who with whom), seeds 000 §2.3, 002."""

    TEACHER_TEACHER = "teacher_teacher"  # «педагог – педагог»
    HEAD_TEACHER = "head_teacher"  # «руководитель образовательной организации – педагог»
    EMPLOYER_STUDENT = "employer_student"  # «работодатель – студент»
    UNIVERSITY_TEACHER = "university_teacher"  # «педагог вуза/колледжа – молодой педагог»
    PARTNER_TEACHER = "partner_teacher"  # «социальный партнёр – педагог»
    SCHOOL_SCHOOL = "school_school"  # «школа – школа»


class MentoringKind(str, enum.Enum):
    """Kinds of mentoring (how), seeds 000, 001, 004."""

    TRADITIONAL = "traditional"
    GROUP = "group"
    SHORT_TERM = "short_term"
    REVERSE = "reverse"
    SITUATIONAL = "situational"
    SPEED = "speed"
    VIRTUAL = "virtual"
    PARTNER = "partner"
    SELF_REGULATED = "self_regulated"


class MentorshipStatus(str, enum.Enum):
    PROPOSED = "proposed"  # waiting for the mentor's and every mentee's consent
    ACTIVE = "active"
    PAUSED = "paused"  # a participant's long absence (seed 004 §III.9.2): the program kept, no reminders
    APPROVAL = "approval"  # everyone agreed; waits for the head's «Утверждаю» (seed 000 §4.6, 003 §1.1)
    DECLINED = "declined"
    COMPLETED = "completed"


class CompletionReason(str, enum.Enum):
    """Seed 004 §VII, 000 §4: how a program ends."""

    PLAN_DONE = "plan_done"  # the plan carried out in full
    MENTOR_INITIATIVE = "mentor_initiative"
    MENTEE_INITIATIVE = "mentee_initiative"
    CURATOR_FORCE_MAJEURE = "curator_force_majeure"
    DISMISSAL_TRANSFER = "dismissal_transfer"  # the mentor (or the last mentee) left the organisation
    EVALUATION = "evaluation"  # по результатам оценки эффективности (seed 002 §6.1): the final assessment made


class ReplacementGround(str, enum.Enum):
    """Seed 004 §III.9: grounds for replacing a mentor."""

    MENTEE_APPLICATION = "mentee_application"
    MENTOR_APPLICATION = "mentor_application"
    LONG_ABSENCE = "long_absence"  # illness, leave up to a year, training
    DISMISSAL_TRANSFER = "dismissal_transfer"
    DISCIPLINARY = "disciplinary"
    INCOMPATIBILITY = "incompatibility"  # psychological incompatibility


class Mentorship(Base):
    """A pair (one mentee) or a group (2–6 mentees) with one mentor at a time. Never deleted."""

    __tablename__ = "mentorships"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    form: Mapped[MentoringForm] = mapped_column(_str_enum(MentoringForm, "mentoring_form"))
    kind: Mapped[MentoringKind] = mapped_column(_str_enum(MentoringKind, "mentoring_kind"))
    status: Mapped[MentorshipStatus] = mapped_column(_str_enum(MentorshipStatus, "mentorship_status"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_reason: Mapped[CompletionReason | None] = mapped_column(
        _str_enum(CompletionReason, "completion_reason"))
    end_note: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # whose absence paused it

    participants: Mapped[list[Participant]] = relationship(
        back_populates="mentorship", order_by="Participant.id")
    program: Mapped[Program | None] = relationship(back_populates="mentorship", uselist=False)


class Participant(Base):
    """Who takes part in a mentorship, from when to when: mentor rows keep the history of
    who mentored whom, with the ground of each replacement."""

    __tablename__ = "mentorship_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[Role] = mapped_column(_str_enum(Role, "role"))  # mentor or mentee
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the written consent the regulations require: when the person agreed
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replacement_ground: Mapped[ReplacementGround | None] = mapped_column(
        _str_enum(ReplacementGround, "replacement_ground"))

    mentorship: Mapped[Mentorship] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class Program(Base):
    """A personalised mentoring program (3 to 12 months, extendable by mutual consent)."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), unique=True)
    goals: Mapped[str] = mapped_column(Text)
    difficulties: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="program")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="program", order_by="(PlanItem.due_date, PlanItem.id)")


class PlanItem(Base):
    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    activity: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    expected_result: Mapped[str] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(back_populates="items")


class RoadmapEntry(Base):
    """The curator's own dates or people for a stage of the school year's road map (seed 001's template);
    a stage without one shows what the bot proposes."""

    __tablename__ = "roadmap_entries"
    __table_args__ = (UniqueConstraint("organization_id", "school_year", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    school_year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)  # 1..10, as in the template
    dates: Mapped[str | None] = mapped_column(String(200))
    responsible: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentStage(str, enum.Enum):
    START = "start"
    END = "end"


class Assessment(Base):
    """One rating, 1–5, of how a mentee manages one difficulty of the program (seed 002 §7.1, 004 §III.12.10;
    seed 001: self-assessment and the diagnosis of competencies): by the mentee (self-assessment) or by the
    mentor, at the program's start or end."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("mentorship_id", "mentee_id", "assessor_id", "stage", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    by_mentor: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[AssessmentStage] = mapped_column(_str_enum(AssessmentStage, "assessment_stage"))
    item: Mapped[int] = mapped_column(Integer)  # the difficulty's place in the program's list
    title: Mapped[str] = mapped_column(String(200))  # the difficulty as it was rated
    score: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApprovalKind(str, enum.Enum):
    PAIR = "pair"  # a pair or group, fixed by order (приказ о закреплении наставнических пар)
    PROGRAM = "program"  # a personalised program
    REPLACEMENT = "replacement"  # a mentor's replacement (seed 004 §III.9)


class ApprovalStatus(str, enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"  # to the curator, with the head's comment


class Approval(Base):
    """What the head approves «приказом» (seed 000 §4.6, 002 §3.3, 003 §1.1, 004 §III.8.2, §III.9): the
    order's number and date, typed by the head or numbered by the bot within the school year."""

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("organization_id", "order_year", "order_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    kind: Mapped[ApprovalKind] = mapped_column(_str_enum(ApprovalKind, "approval_kind"))
    status: Mapped[ApprovalStatus] = mapped_column(_str_enum(ApprovalStatus, "approval_status"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(Text)  # why it was returned
    order_number: Mapped[str | None] = mapped_column(String(40))
    order_date: Mapped[date | None] = mapped_column(Date)
    order_year: Mapped[int | None] = mapped_column(Integer)  # the school year of a number the bot gave
    order_seq: Mapped[int | None] = mapped_column(Integer)


class TrainingKind(str, enum.Enum):
    """How a mentor was prepared (seed 000 §4.1, 003 §4: selection and training of mentors)."""

    ORIENTATION = "orientation"  # установочная сессия
    COURSE = "course"  # курсы повышения квалификации
    SEMINAR = "seminar"
    SPEED_SESSION = "speed_session"


class MentorTraining(Base):
    """A training a mentor took, as the curator recorded it; shown on the mentor's card."""

    __tablename__ = "mentor_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[TrainingKind] = mapped_column(_str_enum(TrainingKind, "training_kind"))
    title: Mapped[str | None] = mapped_column(Text)  # the course's or seminar's name
    held_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgramChangeKind(str, enum.Enum):
    """What a correction of a program changed (seed 004 §VII.2: the plan is corrected as work goes on)."""

    ITEM_ACTIVITY = "item_activity"
    ITEM_DUE = "item_due"
    ITEM_EXPECTED = "item_expected"
    ITEM_DELETED = "item_deleted"
    GOALS = "goals"
    FORM = "form"
    KIND = "kind"


class ProgramChange(Base):
    """One correction of a pair's program, form or kind: who, when, what it was before and after.
    Kept for good, like the mentorship; a deleted plan item lives on here as its `before`."""

    __tablename__ = "program_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    kind: Mapped[ProgramChangeKind] = mapped_column(_str_enum(ProgramChangeKind, "program_change_kind"))
    item_id: Mapped[int | None] = mapped_column(Integer)  # the plan item's id (no key: it may be deleted)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgramExtension(Base):
    """A proposal to move a program's end, in force once every other participant agrees."""

    __tablename__ = "program_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    old_end_date: Mapped[date] = mapped_column(Date)
    new_end_date: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    agreed_by: Mapped[str] = mapped_column(Text, default="")  # person ids, comma-separated
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted: Mapped[bool | None] = mapped_column(Boolean)


class ReplacementRequest(Base):
    """A mentee's (or mentor's) application to replace the mentor; the curator decides."""

    __tablename__ = "replacement_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    ground: Mapped[ReplacementGround] = mapped_column(_str_enum(ReplacementGround, "replacement_ground"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# ------------------------------------------------------------------ situational mentoring
class HelpRequestStatus(str, enum.Enum):
    OPEN = "open"  # offered, nobody has taken it yet
    TAKEN = "taken"  # a mentor took it; the conversation is relayed
    CLOSED = "closed"


class HelpRequest(Base):
    """A mentee's request for help («ситуационное наставничество»). What the two then write to each
    other is relayed, not stored; only times and the rating are kept for the figures."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    text: Mapped[str] = mapped_column(Text)
    attachment_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # the mentee's message with a file
    attachment_message_id: Mapped[int | None] = mapped_column(BigInteger)
    own_mentor: Mapped[bool] = mapped_column(Boolean, default=False)  # sent to the mentee's mentor
    status: Mapped[HelpRequestStatus] = mapped_column(
        _str_enum(HelpRequestStatus, "help_request_status"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    escalate_at: Mapped[datetime] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)


# ------------------------------------------------------------------------- meeting journal
class MeetingFormat(str, enum.Enum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class MeetingLog(Base):
    """A meeting in the mentor's journal («журнал наставника»), the record virtual mentoring needs."""

    __tablename__ = "meeting_logs"
    # a pair's last meeting and its meetings in a period, without reading the others
    __table_args__ = (Index("ix_meeting_logs_mentorship_held_on", "mentorship_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[MeetingFormat] = mapped_column(_str_enum(MeetingFormat, "meeting_format"))
    channel: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingConfirmation(Base):
    """A mentee's confirmation of (or comment on) a logged meeting."""

    __tablename__ = "meeting_confirmations"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting_logs.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(Text)


class PlannedMeetingStatus(str, enum.Enum):
    PROPOSED = "proposed"  # waiting for the others' answer
    ACCEPTED = "accepted"  # agreed: it will take place
    DECLINED = "declined"  # the others said no
    CANCELLED = "cancelled"
    HELD = "held"  # it took place and is in the journal
    MISSED = "missed"  # the mentor said it did not take place


class PlannedMeeting(Base):
    """A meeting planned ahead by either side of a pair or group (seed 000 §2.3: short-term mentoring «по
    заранее установленному графику»). A recurring schedule is a row per occurrence, each with `series_id`
    (the first occurrence); the others answer the series once, on its first. Calendar files carry the UID
    of the meeting (or of its series) and `sequence`, raised by every change."""

    __tablename__ = "planned_meetings"
    # the jobs' scan: accepted meetings by their start
    __table_args__ = (Index("ix_planned_meetings_status_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("planned_meetings.id"), index=True)
    every_weeks: Mapped[int | None] = mapped_column(Integer)  # a series: 1 or 2
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[MeetingFormat] = mapped_column(_str_enum(MeetingFormat, "meeting_format"))
    place: Mapped[str | None] = mapped_column(String(300))  # a room, or the link of an online meeting
    topic: Mapped[str] = mapped_column(Text)
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id"))
    status: Mapped[PlannedMeetingStatus] = mapped_column(
        _str_enum(PlannedMeetingStatus, "planned_meeting_status"), default=PlannedMeetingStatus.PROPOSED)
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reminded_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_hour_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    asked_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_log_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_logs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingAnswer(Base):
    """A participant's answer to a proposed meeting (or series)."""

    __tablename__ = "meeting_answers"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("planned_meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    accepted: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PracticeStatus(str, enum.Enum):
    SUBMITTED = "submitted"  # waiting for the curator
    APPROVED = "approved"  # in the school's bank
    FEATURED = "featured"  # also shown region-wide by a coordinator
    RETURNED = "returned"  # the curator sent it back


class Practice(Base):
    """A practice in the best-practice bank («банк лучших практик», «методическая копилка»: seed 000
    §4.7.2, 003 §6.3, 004 §III.6.4, §III.12.5): submitted by a mentor or curator, approved by the curator
    for the school, featured by a coordinator for the organisations below. `search_text` is the title,
    description and topic case-folded in Python, so that search works alike on SQLite (whose lower()
    knows no Cyrillic) and PostgreSQL."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    mentorship_id: Mapped[int | None] = mapped_column(ForeignKey("mentorships.id"))  # a completed program's pair
    search_text: Mapped[str] = mapped_column(Text)
    status: Mapped[PracticeStatus] = mapped_column(_str_enum(PracticeStatus, "practice_status"),
                                                   default=PracticeStatus.SUBMITTED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PracticeFile(Base):
    """A file of a practice: the author's message in their chat with the bot, copied to a reader (its
    content stays with Telegram)."""

    __tablename__ = "practice_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)


# --------------------------------------------------------------------------- speed sessions
class SpeedSessionStatus(str, enum.Enum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DONE = "done"  # attendance marked


class SignupStatus(str, enum.Enum):
    REGISTERED = "registered"
    WAITLIST = "waitlist"
    CANCELLED = "cancelled"


class SpeedSession(Base):
    """«Скоростное наставничество»: a one-time meeting of mentees with a host."""

    __tablename__ = "speed_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    topic: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(500))  # a room or a link
    capacity: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(64))  # "all", "category.<value>" or "topic.<id>"
    status: Mapped[SpeedSessionStatus] = mapped_column(_str_enum(SpeedSessionStatus, "speed_session_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SpeedSignup(Base):
    __tablename__ = "speed_signups"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("speed_sessions.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[SignupStatus] = mapped_column(_str_enum(SignupStatus, "signup_status"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the waitlist's order
    attended: Mapped[bool | None] = mapped_column(Boolean)
    feedback: Mapped[int | None] = mapped_column(Integer)


# ---------------------------------------------------------------------------------- surveys
class SurveyStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class QuestionKind(str, enum.Enum):
    SCALE = "scale"  # 1 to 10
    YES_NO = "yes_no"
    SINGLE = "single"  # one of the options
    MULTI = "multi"  # any of the options
    TEXT = "text"


class Survey(Base):
    """A questionnaire («анкетирование»): a shipped template or the curator's own, launched to an
    audience with a deadline."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    template: Mapped[str | None] = mapped_column(String(32))  # "mentee" | "mentor" for the shipped ones
    # "mentees" | "mentors" | "everyone" | "program.<mentorship id>"
    audience: Mapped[str] = mapped_column(String(64))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[SurveyStatus] = mapped_column(_str_enum(SurveyStatus, "survey_status"), index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentorship_id: Mapped[int | None] = mapped_column(ForeignKey("mentorships.id"))  # launched on completion
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # at closing, with enough answers only: the mean of every 1–10 answer (for the summaries)
    mean_score: Mapped[float | None] = mapped_column(Float)

    questions: Mapped[list[SurveyQuestion]] = relationship(order_by="SurveyQuestion.position")


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(_str_enum(QuestionKind, "question_kind"))
    key: Mapped[str | None] = mapped_column(String(64))  # a template's question: its text is translated
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[str | None] = mapped_column(Text)  # JSON list of option texts (single, multi)
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class SurveyParticipant(Base):
    """Who was invited and whether they have answered; nothing else, and no time of answering.
    Kept apart from the answers, which name nobody."""

    __tablename__ = "survey_participants"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One submitted questionnaire. Anonymous ones carry no person and no time; the key is random, and they
    are written in shuffled batches of at least the minimum from the mix (bot/services/survey_mix.py), so
    neither keys, nor row order, nor the writing transaction tie one to fewer people than that."""

    __tablename__ = "survey_responses"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, 128 bits
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    answers: Mapped[str] = mapped_column(Text)  # JSON: {question id: answer}
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # named surveys only


class SurveyMixEntry(Base):
    """An anonymous submission waiting in the mix (bot/services/survey_mix.py): sealed with a key that
    lives in the bot's memory only, so the database files never hold an answer beside its author's id.
    It goes to `survey_responses` in a shuffled batch of at least the minimum, with those people's
    marks; `key_id` names the key, so a start with another key knows the entry cannot be read."""

    __tablename__ = "survey_mix"
    __table_args__ = (UniqueConstraint("survey_id", "person_id"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    key_id: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


# ---------------------------------------------------------------------------- dialog state
class DialogState(Base):
    """aiogram FSM state and data of a dialog in progress (bot/telegram/storage.py), so that a dialog survives a
    restart and continues on another worker. Keys name a chat and a user; what must not be kept about
    a person (an invite before consent, survey answers in progress) never comes here."""

    __tablename__ = "dialog_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedUpdate(Base):
    """Update ids taken for processing (webhook mode): Telegram may deliver an update again, and
    another worker may get it; the first to insert its id handles it, unless the claim is of a worker
    that died with it in flight (bot/telegram/middlewares.py: UpdateOnceMiddleware). Kept a day."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(48))  # "<worker index>:<a token of its start>"
