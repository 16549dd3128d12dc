"""Pairs and groups, their personalised programs and plan items (seeds 000 §2.3, 004 §III.9, §VII).

Every function checks who is acting: curators (and heads) of the organisation form, replace and
see everything there; the mentor and mentees of a mentorship see and work on its program.
Notifications to other people go into the outbox in the same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import (
    Exists,
    Integer,
    Row,
    Select,
    Subquery,
    bindparam,
    distinct,
    exists,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload

from bot.i18n import I18n
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.notifications import enqueue
from db.models import (
    CompletionReason,
    Membership,
    MembershipTopic,
    MentoringForm,
    MentoringKind,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    PlanItem,
    Program,
    ProgramExtension,
    ReplacementGround,
    ReplacementRequest,
    Role,
    Topic,
)
from db.repositories import plain_rows

MAX_GROUP = 6
MIN_MONTHS, MAX_MONTHS = 3, 12
MAX_TOTAL_MONTHS = 24  # an extension may not take a program past two years
TEXT_MAX = 1000
OPEN = (MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE)
CURATORS = (Role.CURATOR, Role.HEAD)
REMINDER_HOUR = 9  # local time from which the day's reminders go out
DUE_SOON_DAYS = 3


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(start.day, days))


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def clean_text(raw: str, limit: int = TEXT_MAX) -> str:
    text = raw.strip()
    if len(text) > limit:
        raise InvalidInput("profile.too_long", max=limit, got=len(text))
    if len(text) < 2:
        raise InvalidInput("profile.too_short")
    return text


# ------------------------------------------------------------------------------- reading
@dataclass
class PersonRef:
    person_id: int
    name: str
    telegram_id: int | None
    locale: str | None


@dataclass
class MentorSuggestion:
    person_id: int
    name: str
    overlap: list[str]
    wanted: int
    free: int
    capacity: int


@dataclass
class ItemView:
    id: int
    activity: str
    due_date: date
    expected_result: str
    done: bool
    completion_note: str | None
    overdue: bool


@dataclass
class MentorshipView:
    id: int
    organization_id: int
    organization_name: str
    timezone: str
    form: MentoringForm
    kind: MentoringKind
    status: MentorshipStatus
    mentor: PersonRef | None
    mentees: list[PersonRef]
    past_mentors: list[tuple[PersonRef, ReplacementGround | None]]
    program_id: int | None = None
    goals: str | None = None
    difficulties: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    items: list[ItemView] = field(default_factory=list)
    completion_reason: CompletionReason | None = None
    viewer_role: Role | None = None  # mentor, mentee, or curator for the one looking


def _ref(person: Person) -> PersonRef:
    return PersonRef(person.id, person.full_name or "—", person.telegram_id, person.locale)


def current_mentor(m: Mentorship) -> Participant | None:
    return next((p for p in m.participants if p.role == Role.MENTOR and p.left_at is None
                 and p.declined_at is None), None)


def current_mentees(m: Mentorship) -> list[Participant]:
    return [p for p in m.participants if p.role == Role.MENTEE and p.left_at is None and p.declined_at is None]


def pair_title_of(mentor: str | None, mentees: list[str | None]) -> str:
    """"Mentor → mentees", the one-line name of a pair or group."""
    return f"{mentor or '—'} → " + (", ".join(name or "—" for name in mentees) or "—")


def pair_title(m: Mentorship) -> str:
    mentor = current_mentor(m)
    return pair_title_of(mentor.person.full_name if mentor else None,
                         [p.person.full_name for p in current_mentees(m)])


def _load_statement(with_program: bool) -> Select:
    options = [selectinload(Mentorship.participants).joinedload(Participant.person, innerjoin=True)]
    if with_program:
        options.append(joinedload(Mentorship.program).selectinload(Program.items))
    return (select(Mentorship).where(Mentorship.id == bindparam("id", type_=Mentorship.id.type)).options(*options)
            .execution_options(populate_existing=True))


LOAD = {True: _load_statement(True), False: _load_statement(False)}  # built once


async def _load(session: AsyncSession, mentorship_id: int, *, with_program: bool = True) -> Mentorship:
    # populate_existing: collections loaded earlier in this session are reloaded too; three statements
    # (the mentorship with its program, the participants with their people, the plan's items), two
    # without the program (its attribute is then not loaded: who asks for it gets a lazy load error)
    m = await session.scalar(LOAD[with_program], {"id": mentorship_id})
    if m is None:
        raise NotFound()
    return m


def _viewer_role(actor: Actor, m: Mentorship) -> Role:
    """How the actor may see this mentorship; AccessDenied when not at all."""
    mentor = current_mentor(m)
    return _role_seen(actor, m.organization_id, mentor.person_id if mentor else None,
                      [p.person_id for p in current_mentees(m)])


def _role_seen(actor: Actor, org_id: int, mentor_id: int | None, mentee_ids: Iterable[int]) -> Role:
    if mentor_id is not None and mentor_id == actor.person_id:
        return Role.MENTOR
    if actor.person_id in mentee_ids:
        return Role.MENTEE
    if actor.has_role(org_id, *CURATORS):
        return Role.CURATOR
    raise AccessDenied()


@dataclass
class PairPeople:
    """Who is in a pair or group now (plain rows): enough to name it and to decide who may look."""

    organization_id: int
    mentor: tuple[int, str | None] | None  # (person id, name)
    mentees: list[tuple[int, str | None]]

    @property
    def title(self) -> str:
        return pair_title_of(self.mentor[1] if self.mentor else None, [name for _, name in self.mentees])

    def role_of(self, actor: Actor) -> Role:
        """How the actor may see the pair; AccessDenied when not at all."""
        return _role_seen(actor, self.organization_id, self.mentor[0] if self.mentor else None,
                          [person_id for person_id, _ in self.mentees])


PAIR_PEOPLE = (select(Mentorship.organization_id, Participant.person_id, Participant.role, Person.full_name)
               .outerjoin(Participant, (Participant.mentorship_id == Mentorship.id) & Participant.left_at.is_(None)
                          & Participant.declined_at.is_(None))
               .outerjoin(Person, Person.id == Participant.person_id)
               .where(Mentorship.id == bindparam("id", type_=Mentorship.id.type))
               .order_by(Participant.id))


async def pair_people(session: AsyncSession, mentorship_id: int) -> PairPeople:
    """The current mentor and mentees of a mentorship, in one statement (NotFound if there is none)."""
    rows = await plain_rows(session, PAIR_PEOPLE, {"id": mentorship_id})
    if not rows:
        raise NotFound()
    mentor = next(((r.person_id, r.full_name) for r in rows if r.role == Role.MENTOR), None)
    return PairPeople(rows[0].organization_id, mentor,
                      [(r.person_id, r.full_name) for r in rows if r.role == Role.MENTEE])


# What `view` shows, as plain rows (no ORM objects to build), in one statement of two parts: the
# mentorship with its organisation, program and each participant (part 0, a row a participant, in the
# order they joined), then the plan's items (part 1, by due date). A part's rows carry NULL in the
# other part's columns, typed (type_coerce) so that both databases give the same Python values.
def _view_statement() -> Select:
    pair = [Mentorship.id, Mentorship.organization_id, Mentorship.form, Mentorship.kind, Mentorship.status,
            Mentorship.completion_reason, Organization.name.label("organization_name"), Organization.timezone,
            Program.id.label("program_id"), Program.goals, Program.difficulties, Program.start_date,
            Program.end_date, Participant.id.label("participant_id"), Participant.person_id, Participant.role,
            Participant.left_at, Participant.declined_at, Participant.replacement_ground, Person.full_name,
            Person.telegram_id, Person.locale]
    items = [PlanItem.id.label("item_id"), PlanItem.activity, PlanItem.due_date, PlanItem.expected_result,
             PlanItem.done_at, PlanItem.completion_note]
    mentorship_id = bindparam("id", type_=Mentorship.id.type)

    def nulls(columns: list) -> list:
        return [type_coerce(null(), c.type).label(c.key) for c in columns]

    people = (select(literal(0, Integer).label("part"), *pair, *nulls(items))
              .join(Organization, Organization.id == Mentorship.organization_id)
              .outerjoin(Program, Program.mentorship_id == Mentorship.id)
              .outerjoin(Participant, Participant.mentorship_id == Mentorship.id)
              .outerjoin(Person, Person.id == Participant.person_id)
              .where(Mentorship.id == mentorship_id))
    plan = (select(literal(1, Integer), *nulls(pair), *items)
            .join(Program, Program.id == PlanItem.program_id)
            .where(Program.mentorship_id == mentorship_id))
    both = union_all(people, plan).subquery()
    return select(both).order_by(both.c.part, both.c.participant_id, both.c.due_date, both.c.item_id)


VIEW = _view_statement()  # built once


async def view(session: AsyncSession, actor: Actor, mentorship_id: int, now: datetime) -> MentorshipView:
    """A mentorship as the actor may see it (AccessDenied otherwise): one statement of plain rows."""
    rows = await plain_rows(session, VIEW, {"id": mentorship_id})
    if not rows or rows[0].part != 0:
        raise NotFound()
    m = rows[0]
    joined = [r for r in rows if r.part == 0 and r.person_id is not None]
    current = [r for r in joined if r.left_at is None and r.declined_at is None]
    mentor = next((r for r in current if r.role == Role.MENTOR), None)
    mentees = [r for r in current if r.role == Role.MENTEE]
    role = _role_seen(actor, m.organization_id, mentor.person_id if mentor else None, [r.person_id for r in mentees])

    def ref(r: Row) -> PersonRef:
        return PersonRef(r.person_id, r.full_name or "—", r.telegram_id, r.locale)

    result = MentorshipView(
        id=m.id, organization_id=m.organization_id, organization_name=m.organization_name, timezone=m.timezone,
        form=m.form, kind=m.kind, status=m.status, mentor=ref(mentor) if mentor else None,
        mentees=[ref(r) for r in mentees],
        past_mentors=[(ref(r), r.replacement_ground) for r in joined
                      if r.role == Role.MENTOR and r.left_at is not None and r.replacement_ground is not None],
        completion_reason=m.completion_reason, viewer_role=role)
    if m.program_id is not None:
        today = local_today(now, m.timezone)
        result.program_id, result.goals, result.difficulties = m.program_id, m.goals, m.difficulties
        result.start_date, result.end_date = m.start_date, m.end_date
        result.items = [ItemView(i.item_id, i.activity, i.due_date, i.expected_result, i.done_at is not None,
                                 i.completion_note, i.done_at is None and i.due_date < today)
                        for i in rows if i.part == 1]
    return result


def _named_select(mentorships: Subquery) -> Select:
    return (select(mentorships.c.id, Participant.role, Person.full_name)
            .outerjoin(Participant, (Participant.mentorship_id == mentorships.c.id) & Participant.left_at.is_(None)
                       & Participant.declined_at.is_(None))
            .outerjoin(Person, Person.id == Participant.person_id)
            .order_by(mentorships.c.id.desc(), Participant.id))


def _named(rows: Iterable[Row]) -> dict[int, tuple[list[str | None], list[str | None]]]:
    people: dict[int, tuple[list[str | None], list[str | None]]] = {}
    for mentorship_id, role, name in rows:
        mentors, mentees = people.setdefault(mentorship_id, ([], []))
        if role == Role.MENTOR:
            mentors.append(name)
        elif role == Role.MENTEE:
            mentees.append(name)
    return people


async def named_participants(session: AsyncSession, mentorships: Subquery
                             ) -> dict[int, tuple[list[str | None], list[str | None]]]:
    """Mentorship id → (current mentors' names, current mentees' names) for the ids a one-column
    `mentorships` subquery selects, descending ids first, in one query of plain rows."""
    return _named((await session.execute(_named_select(mentorships))).all())


def _titles(named: dict[int, tuple[list[str | None], list[str | None]]]) -> list[tuple[int, str]]:
    return [(mid, pair_title_of(mentors[0] if mentors else None, mentees)) for mid, (mentors, mentees) in named.items()]


PAIR_TITLES = _named_select(select(Mentorship.id).where(
    Mentorship.id.in_(bindparam("ids", expanding=True))).subquery())  # built once


async def pair_titles(session: AsyncSession, mentorship_ids: Iterable[int]) -> dict[int, str]:
    """Titles of many mentorships in one query (not a `_load` each)."""
    ids = list(mentorship_ids)
    if not ids:
        return {}
    return dict(_titles(_named(await plain_rows(session, PAIR_TITLES, {"ids": ids}))))


def _my_mentorships() -> Select:
    """Built once (its subqueries made building it dearer than running it): `person_id`, and `curated`,
    the organisations the person curates (a list)."""
    mine = select(Participant.mentorship_id).where(
        Participant.person_id == bindparam("person_id", type_=Participant.person_id.type),
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    return _named_select(select(Mentorship.id).where(
        (Mentorship.id.in_(mine)) | (Mentorship.organization_id.in_(bindparam("curated", expanding=True))))
        .order_by(Mentorship.id.desc()).limit(50).subquery())


MY_MENTORSHIPS = _my_mentorships()


async def my_mentorships(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """(id, title) of the mentorships the actor works in or, as a curator, oversees; newest first.
    One query of plain rows (the menus of /program and /journal ask for it on every use)."""
    if actor.person_id is None:
        raise AccessDenied("error.not_registered")
    curated = [org for org, _ in actor.orgs_where(*CURATORS)]
    return _titles(_named(await plain_rows(session, MY_MENTORSHIPS,
                                           {"person_id": actor.person_id, "curated": curated})))


# -------------------------------------------------------------------------------- forming
async def _check_curator(actor: Actor, org_id: int) -> None:
    if not actor.has_role(org_id, *CURATORS):
        raise AccessDenied("pairs.only_curators")


def has_current_mentor() -> Exists:
    """Whether the enclosing query's mentorship has a mentor now (neither left nor declined): a correlated
    EXISTS. A pair whose mentor left waits for a new one."""
    mentor = aliased(Participant)
    return exists().where(mentor.mentorship_id == Mentorship.id, mentor.role == Role.MENTOR,
                          mentor.left_at.is_(None), mentor.declined_at.is_(None))


def _in_open_mentorship(role: Role):
    """People in a current pair or group in `role`; a mentee counts only while the pair has a mentor (one
    whose mentor left is back among those to pair)."""
    query = select(Participant.person_id).join(Mentorship).where(
        Mentorship.status.in_(OPEN), Participant.role == role,
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    if role == Role.MENTEE:
        query = query.where(has_current_mentor())
    return query


async def unpaired_mentees(session: AsyncSession, actor: Actor, org_id: int) -> list[PersonRef]:
    await _check_curator(actor, org_id)
    people = (await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.MENTEE, Membership.ended_at.is_(None),
            Person.erased_at.is_(None), Person.profile_completed_at.is_not(None),
            Person.id.not_in(_in_open_mentorship(Role.MENTEE)))
        .order_by(Person.search_name))).all()
    return [_ref(p) for p in people]


async def mentor_load(session: AsyncSession, mentor_id: int) -> int:
    """Mentees the mentor has now, in proposed and active mentorships."""
    return (await mentor_loads(session, [mentor_id])).get(mentor_id, 0)


def _mentor_loads() -> Select:
    """Built once (its aliases made building it dearer than running it); `ids` expands to a list."""
    mentor, mentee = aliased(Participant), aliased(Participant)
    return (select(mentor.person_id, func.count(distinct(mentee.id)))
            .join(Mentorship, Mentorship.id == mentor.mentorship_id)
            .join(mentee, (mentee.mentorship_id == mentor.mentorship_id) & (mentee.role == Role.MENTEE)
                  & mentee.left_at.is_(None) & mentee.declined_at.is_(None))
            .where(mentor.person_id.in_(bindparam("ids", expanding=True)), mentor.role == Role.MENTOR,
                   mentor.left_at.is_(None), mentor.declined_at.is_(None), Mentorship.status.in_(OPEN))
            .group_by(mentor.person_id))


MENTOR_LOADS = _mentor_loads()


async def mentor_loads(session: AsyncSession, mentor_ids: Sequence[int]) -> dict[int, int]:
    """`mentor_load` of many mentors in one query per thousand (not one per mentor)."""
    loads: dict[int, int] = {}
    ids = list(dict.fromkeys(mentor_ids))
    for start in range(0, len(ids), 1000):
        loads.update((await session.execute(MENTOR_LOADS, {"ids": ids[start:start + 1000]})).all())
    return loads


async def _topics(session: AsyncSession, org_id: int, person_ids: Sequence[int], role: Role) -> dict[int, set[int]]:
    rows = await session.execute(
        select(Membership.person_id, MembershipTopic.topic_id).join(
            MembershipTopic, MembershipTopic.membership_id == Membership.id).where(
            Membership.organization_id == org_id, Membership.role == role, Membership.ended_at.is_(None),
            Membership.person_id.in_(person_ids)))
    result: dict[int, set[int]] = {pid: set() for pid in person_ids}
    for person_id, topic_id in rows:
        result[person_id].add(topic_id)
    return result


async def suggest_mentors(session: AsyncSession, actor: Actor, org_id: int, mentee_ids: Sequence[int],
                          exclude: Sequence[int] = ()) -> list[MentorSuggestion]:
    """Mentors of the organisation with room for all these mentees (never over capacity), ranked
    by how many of the mentees' difficulties they cover, then by free places."""
    await _check_curator(actor, org_id)
    mentors = (await session.execute(
        select(Person, Membership.capacity).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.MENTOR, Membership.ended_at.is_(None),
            Person.erased_at.is_(None), Person.profile_completed_at.is_not(None),
            Person.id.not_in(list(mentee_ids) + list(exclude))))).all()
    wanted = set().union(*(await _topics(session, org_id, mentee_ids, Role.MENTEE)).values()) if mentee_ids else set()
    competencies = await _topics(session, org_id, [p.id for p, _ in mentors], Role.MENTOR)
    titles = dict((await session.execute(select(Topic.id, Topic.title).where(Topic.organization_id == org_id))).all())
    loads = await mentor_loads(session, [person.id for person, _ in mentors])
    suggestions = []
    for person, capacity in mentors:
        free = (capacity or 0) - loads.get(person.id, 0)
        if free < len(mentee_ids):
            continue
        overlap = sorted(wanted & competencies[person.id], key=lambda tid: titles.get(tid, ""))
        suggestions.append(MentorSuggestion(person.id, person.full_name or "—", [titles[t] for t in overlap],
                                            len(wanted), free, capacity or 0))
    suggestions.sort(key=lambda s: (-len(s.overlap), -s.free, s.name))
    return suggestions


async def propose(session: AsyncSession, actor: Actor, *, org_id: int, mentor_id: int, mentee_ids: Sequence[int],
                  form: MentoringForm, kind: MentoringKind, now: datetime, i18n: I18n) -> int:
    await _check_curator(actor, org_id)
    mentee_ids = list(dict.fromkeys(mentee_ids))
    if not 1 <= len(mentee_ids) <= MAX_GROUP:
        raise InvalidInput("pairs.bad_size", max=MAX_GROUP)
    if kind == MentoringKind.GROUP and len(mentee_ids) < 2:
        raise InvalidInput("pairs.group_needs_two")
    free_mentees = {p.person_id for p in await unpaired_mentees(session, actor, org_id)}
    if not set(mentee_ids) <= free_mentees:
        raise InvalidInput("pairs.mentee_taken")
    if mentor_id not in {s.person_id for s in await suggest_mentors(session, actor, org_id, mentee_ids)}:
        raise InvalidInput("pairs.mentor_full")
    m = Mentorship(organization_id=org_id, form=form, kind=kind, status=MentorshipStatus.PROPOSED,
                   created_by_id=actor.person_id, created_at=now)
    session.add(m)
    await session.flush()
    session.add(Participant(mentorship_id=m.id, person_id=mentor_id, role=Role.MENTOR, invited_at=now))
    session.add_all(Participant(mentorship_id=m.id, person_id=pid, role=Role.MENTEE, invited_at=now)
                    for pid in mentee_ids)
    await session.flush()
    m = await _load(session, m.id)
    for participant in m.participants:
        await _notify_invitation(session, m, participant, now, i18n)
    await session.commit()
    return m.id


# --------------------------------------------------------------------- notices (outbox)
def _confirm_markup(i18n: I18n, locale: str | None, mentorship_id: int) -> InlineKeyboardMarkup:
    from bot.keyboards import mentorship_answer

    return mentorship_answer(i18n.get(locale), mentorship_id)


async def _tell(session: AsyncSession, person: PersonRef | Person, key: str, now: datetime, i18n: I18n,
                markup: InlineKeyboardMarkup | None = None, dedup_key: str | None = None, **params) -> None:
    ref = person if isinstance(person, PersonRef) else _ref(person)
    if ref.telegram_id is None:
        return
    t = i18n.get(ref.locale)
    await enqueue(session, chat_id=ref.telegram_id, person_id=ref.person_id, kind=key.split(".")[0],
                  text=t(key, **params), markup=markup, now=now, dedup_key=dedup_key)


async def _curators(session: AsyncSession, org_id: int) -> list[Person]:
    return list((await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.organization_id == org_id, Membership.role == Role.CURATOR,
            Membership.ended_at.is_(None), Person.erased_at.is_(None)).distinct())).all())


def _describe(m: Mentorship, i18n: I18n, locale: str | None) -> dict[str, str]:
    t = i18n.get(locale)
    mentor = current_mentor(m)
    return {
        "mentor": mentor.person.full_name or "—" if mentor else "—",
        "mentees": ", ".join(p.person.full_name or "—" for p in current_mentees(m)),
        "form": t.plain(f"form.{m.form.value}"),
        "kind": t.plain(f"kind.{m.kind.value}"),
        "status": t.plain(f"mstatus.{m.status.value}"),
    }


async def _notify_invitation(session: AsyncSession, m: Mentorship, participant: Participant, now: datetime,
                             i18n: I18n) -> None:
    key = "pairs.invite_mentor" if participant.role == Role.MENTOR else "pairs.invite_mentee"
    await _tell(session, participant.person, key, now, i18n,
                markup=_confirm_markup(i18n, participant.person.locale, m.id),
                **_describe(m, i18n, participant.person.locale))


async def _notify_all(session: AsyncSession, m: Mentorship, key: str, now: datetime, i18n: I18n,
                      curators: bool = True, skip: int | None = None, **params) -> None:
    people = [p.person for p in m.participants if p.left_at is None and p.declined_at is None]
    if curators:
        people += await _curators(session, m.organization_id)
    seen: set[int] = set()
    for person in people:
        if person.id in seen or person.id == skip:
            continue
        seen.add(person.id)
        await _tell(session, person, key, now, i18n, **(_describe(m, i18n, person.locale) | params))


# ------------------------------------------------------------------------ confirmations
def _pending_answer(m: Mentorship, actor: Actor) -> Participant:
    """The actor's row in a proposal they still have to answer."""
    mine = next((p for p in m.participants if p.person_id == actor.person_id and p.left_at is None
                 and p.declined_at is None), None)
    if mine is None:
        raise AccessDenied()
    if mine.confirmed_at is not None or m.status not in OPEN:
        raise InvalidInput("error.stale_button")
    return mine


async def check_pending(session: AsyncSession, actor: Actor, mentorship_id: int) -> None:
    """The actor has a proposal here still to answer (before asking them for a reason)."""
    _pending_answer(await _load(session, mentorship_id), actor)


async def _open_item(session: AsyncSession, actor: Actor, item_id: int) -> tuple[PlanItem, Mentorship]:
    """A plan item not yet done, of an active program the actor takes part in (not as curator)."""
    item = await session.get(PlanItem, item_id)
    if item is None:
        raise NotFound()
    _, m, role = await _program(session, actor, item.program_id)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if item.done_at is not None:
        raise InvalidInput("program.item_done_already")
    return item, m


async def item_mentorship(session: AsyncSession, actor: Actor, item_id: int) -> int:
    """The mentorship of a plan item the actor may mark done (a current participant)."""
    return (await _open_item(session, actor, item_id))[1].id


async def respond(session: AsyncSession, actor: Actor, mentorship_id: int, *, accept: bool, now: datetime,
                  i18n: I18n, reason: str | None = None) -> MentorshipStatus:
    """The mentor's or a mentee's answer to a proposal. The mentor's consent is recorded with
    its date (the written consent the regulations ask for)."""
    m = await _load(session, mentorship_id)
    mine = _pending_answer(m, actor)
    if accept:
        mine.confirmed_at = now
    else:
        mine.declined_at = now
        mine.decline_reason = clean_text(reason or "", 500)
        for curator in await _curators(session, m.organization_id):
            await _tell(session, curator, "pairs.declined_notice", now, i18n, name=mine.person.full_name or "—",
                        reason=mine.decline_reason, **_describe(m, i18n, curator.locale))
        if mine.role == Role.MENTOR and m.status == MentorshipStatus.PROPOSED:
            m.status = MentorshipStatus.DECLINED
            m.ended_at = now
        elif not current_mentees(m):
            m.status = MentorshipStatus.DECLINED
            m.ended_at = now
    mentor = current_mentor(m)
    everyone_agreed = mentor is not None and mentor.confirmed_at is not None and current_mentees(m) and all(
        p.confirmed_at is not None for p in current_mentees(m))
    if m.status == MentorshipStatus.PROPOSED and everyone_agreed:
        m.status = MentorshipStatus.ACTIVE
        m.started_at = now
        await _notify_all(session, m, "pairs.started", now, i18n)
        await _leave_mentorless(session, m, now)
    elif m.status == MentorshipStatus.ACTIVE and accept and mine.role == Role.MENTOR:
        await _notify_all(session, m, "pairs.new_mentor", now, i18n, skip=mine.person_id)
    await session.commit()
    return m.status


# ----------------------------------------------------------------------------- programs
async def create_program(session: AsyncSession, actor: Actor, mentorship_id: int, *, goals: str, months: int,
                         now: datetime) -> int:
    m = await _load(session, mentorship_id)
    role = _viewer_role(actor, m)
    if role == Role.MENTEE:
        raise AccessDenied("program.only_mentor")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if m.program is not None:
        raise InvalidInput("program.exists")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise InvalidInput("program.bad_length", min=MIN_MONTHS, max=MAX_MONTHS)
    org = await session.get(Organization, m.organization_id)
    assert org is not None
    mentee_ids = [p.person_id for p in current_mentees(m)]
    topic_ids = set().union(*(await _topics(session, m.organization_id, mentee_ids, Role.MENTEE)).values())
    titles = (await session.scalars(select(Topic.title).where(Topic.id.in_(topic_ids)).order_by(Topic.position))).all()
    start = local_today(now, org.timezone)
    program = Program(mentorship_id=m.id, goals=clean_text(goals), difficulties="; ".join(titles) or "—",
                      start_date=start, end_date=add_months(start, months), created_by_id=actor.person_id,
                      created_at=now)
    session.add(program)
    await session.commit()
    return program.id


async def _program(session: AsyncSession, actor: Actor, program_id: int) -> tuple[Program, Mentorship, Role]:
    program = await session.get(Program, program_id)
    if program is None:
        raise NotFound()
    m = await _load(session, program.mentorship_id)
    return m.program, m, _viewer_role(actor, m)  # type: ignore[return-value]


async def check_due(session: AsyncSession, actor: Actor, program_id: int, due: date) -> Program:
    """A plan item's deadline must fall within the program; only its participants plan."""
    program, m, role = await _program(session, actor, program_id)
    if role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    if not program.start_date <= due <= program.end_date:
        raise InvalidInput("program.due_outside", start=program.start_date.strftime("%d.%m.%Y"),
                           end=program.end_date.strftime("%d.%m.%Y"))
    return program


async def add_item(session: AsyncSession, actor: Actor, program_id: int, *, activity: str, due: date,
                   expected: str, now: datetime) -> int:
    program = await check_due(session, actor, program_id, due)
    item = PlanItem(program_id=program.id, activity=clean_text(activity), due_date=due,
                    expected_result=clean_text(expected), created_by_id=actor.person_id, created_at=now)
    session.add(item)
    await session.commit()
    return item.id


async def complete_item(session: AsyncSession, actor: Actor, item_id: int, *, note: str | None,
                        now: datetime) -> None:
    item, _ = await _open_item(session, actor, item_id)
    item.done_at = now
    item.completion_note = clean_text(note) if note else None
    await session.commit()


async def request_extension(session: AsyncSession, actor: Actor, program_id: int, *, months: int, now: datetime,
                            i18n: I18n) -> int:
    program, m, role = await _program(session, actor, program_id)
    if role == Role.CURATOR or m.status != MentorshipStatus.ACTIVE:
        raise AccessDenied("program.extension_participants")
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput("program.bad_extension")
    new_end = add_months(program.end_date, months)
    if new_end > add_months(program.start_date, MAX_TOTAL_MONTHS):
        raise InvalidInput("program.too_long", max=MAX_TOTAL_MONTHS)
    extension = ProgramExtension(program_id=program.id, old_end_date=program.end_date, new_end_date=new_end,
                                 requested_by_id=actor.person_id, requested_at=now, agreed_by="")
    session.add(extension)
    await session.flush()
    from bot.keyboards import extension_answer

    requester = next(p.person for p in m.participants if p.person_id == actor.person_id)
    for p in m.participants:
        if p.left_at is None and p.declined_at is None and p.person_id != actor.person_id:
            await _tell(session, p.person, "program.extension_asked", now, i18n,
                        markup=extension_answer(i18n.get(p.person.locale), extension.id),
                        name=requester.full_name or "—", old=program.end_date.strftime("%d.%m.%Y"),
                        new=new_end.strftime("%d.%m.%Y"))
    await session.commit()
    return extension.id


async def answer_extension(session: AsyncSession, actor: Actor, extension_id: int, *, accept: bool,
                           now: datetime, i18n: I18n) -> bool | None:
    """Returns True when the extension took effect, False when refused, None while others must agree."""
    extension = await session.get(ProgramExtension, extension_id)
    if extension is None:
        raise NotFound()
    program, m, role = await _program(session, actor, extension.program_id)
    if role == Role.CURATOR or actor.person_id == extension.requested_by_id:
        raise AccessDenied()
    agreed = {int(x) for x in extension.agreed_by.split(",") if x}
    if extension.decided_at is not None or actor.person_id in agreed:
        raise InvalidInput("error.stale_button")
    others = {p.person_id for p in m.participants if p.left_at is None and p.declined_at is None} - {
        extension.requested_by_id}
    if not accept:
        extension.decided_at, extension.accepted = now, False
        await _notify_all(session, m, "program.extension_refused", now, i18n, curators=False,
                          new=extension.new_end_date.strftime("%d.%m.%Y"))
        await session.commit()
        return False
    agreed.add(actor.person_id)  # type: ignore[arg-type]
    extension.agreed_by = ",".join(map(str, sorted(agreed)))
    if others <= agreed:
        extension.decided_at, extension.accepted = now, True
        program.end_date = extension.new_end_date
        await _notify_all(session, m, "program.extended", now, i18n, new=program.end_date.strftime("%d.%m.%Y"))
        await session.commit()
        return True
    await session.commit()
    return None


# -------------------------------------------------------------------- completion, replacement
ALLOWED_REASONS: dict[Role, tuple[CompletionReason, ...]] = {
    Role.MENTOR: (CompletionReason.PLAN_DONE, CompletionReason.MENTOR_INITIATIVE),
    Role.MENTEE: (CompletionReason.MENTEE_INITIATIVE,),
    Role.CURATOR: (CompletionReason.PLAN_DONE, CompletionReason.CURATOR_FORCE_MAJEURE),
}


async def complete(session: AsyncSession, actor: Actor, mentorship_id: int, *, reason: CompletionReason,
                   now: datetime, i18n: I18n) -> None:
    m = await _load(session, mentorship_id)
    role = _viewer_role(actor, m)
    if reason not in ALLOWED_REASONS[role]:
        raise AccessDenied()
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("error.stale_button")
    if reason == CompletionReason.PLAN_DONE and (
            m.program is None or not m.program.items or any(i.done_at is None for i in m.program.items)):
        raise InvalidInput("program.plan_not_done")
    m.status = MentorshipStatus.COMPLETED
    m.ended_at = now
    m.completion_reason = reason
    await _notify_all(session, m, "program.completed", now, i18n,
                      reason=i18n.get(None).plain(f"completion.{reason.value}"))
    from bot.services.surveys import launch_on_completion  # surveys build on this module

    await launch_on_completion(session, m, now, i18n)
    await session.commit()


async def request_replacement(session: AsyncSession, actor: Actor, mentorship_id: int, *,
                              ground: ReplacementGround, now: datetime, i18n: I18n) -> None:
    m = await _load(session, mentorship_id)
    role = _viewer_role(actor, m)
    if role == Role.CURATOR or m.status != MentorshipStatus.ACTIVE:
        raise AccessDenied()
    session.add(ReplacementRequest(mentorship_id=m.id, requested_by_id=actor.person_id, ground=ground,
                                   requested_at=now))
    me = next(p.person for p in m.participants if p.person_id == actor.person_id)
    for curator in await _curators(session, m.organization_id):
        t = i18n.get(curator.locale)
        await _tell(session, curator, "replace.requested", now, i18n, name=me.full_name or "—",
                    ground=t.plain(f"ground.{ground.value}"), **_describe(m, i18n, curator.locale))
    await session.commit()


async def replace_mentor(session: AsyncSession, actor: Actor, mentorship_id: int, *, new_mentor_id: int,
                         ground: ReplacementGround, now: datetime, i18n: I18n) -> None:
    """The curator replaces the mentor; the old one's row keeps when and why it ended, the new one
    is asked to agree like any mentor."""
    m = await _load(session, mentorship_id)
    await _check_curator(actor, m.organization_id)
    if m.status != MentorshipStatus.ACTIVE:
        raise InvalidInput("program.not_active")
    old = current_mentor(m)
    mentee_ids = [p.person_id for p in current_mentees(m)]
    exclude = [old.person_id] if old else []
    candidates = await suggest_mentors(session, actor, m.organization_id, mentee_ids, exclude)
    if new_mentor_id not in {s.person_id for s in candidates}:
        raise InvalidInput("pairs.mentor_full")
    if old is not None:
        old.left_at = now
        old.replacement_ground = ground
        await _tell(session, old.person, "replace.old_mentor", now, i18n,
                    ground=i18n.get(old.person.locale).plain(f"ground.{ground.value}"),
                    **_describe(m, i18n, old.person.locale))
    for request in (await session.scalars(select(ReplacementRequest).where(
            ReplacementRequest.mentorship_id == m.id, ReplacementRequest.decided_at.is_(None)))).all():
        request.decided_at = now
    session.add(Participant(mentorship_id=m.id, person_id=new_mentor_id, role=Role.MENTOR, invited_at=now))
    await session.flush()
    m = await _load(session, m.id)
    new = current_mentor(m)
    assert new is not None
    await _notify_invitation(session, m, new, now, i18n)
    await session.commit()


async def _leave_mentorless(session: AsyncSession, m: Mentorship, now: datetime) -> None:
    """Mentees paired anew leave the pairs whose mentor left (and a pair left with nobody ends), so that
    nobody is in two programs at once."""
    mentee_ids = [p.person_id for p in current_mentees(m)]
    stale = (await session.scalars(select(Participant).join(Mentorship).where(
        Participant.person_id.in_(mentee_ids), Participant.role == Role.MENTEE, Participant.left_at.is_(None),
        Participant.declined_at.is_(None), Mentorship.id != m.id, Mentorship.status == MentorshipStatus.ACTIVE,
        ~has_current_mentor()))).all()
    for row in stale:
        row.left_at = now
        old = await _load(session, row.mentorship_id, with_program=False)
        if not current_mentees(old):
            old.status, old.ended_at = MentorshipStatus.COMPLETED, now
            old.completion_reason = CompletionReason.CURATOR_FORCE_MAJEURE


async def leave_all(session: AsyncSession, person_id: int, org_id: int | None, now: datetime, i18n: I18n) -> None:
    """The person withdrew their consent (in `org_id`, or everywhere): their part in every current pair and
    group of it ends, in the caller's transaction (seed 004 §III.9: the mentor's own application).
    A mentor's pairs wait for a new mentor (their mentees are back in /pair's list, the pair on the
    summary's attention list); a pair left with no mentee ends at the mentee's initiative; a proposal
    that lost its mentor or every mentee is declined. The others and the curators are told, without the
    leaver's name (which is about to be erased)."""
    query = select(Participant).join(Mentorship).where(
        Participant.person_id == person_id, Participant.left_at.is_(None), Participant.declined_at.is_(None),
        Mentorship.status.in_(OPEN))
    if org_id is not None:
        query = query.where(Mentorship.organization_id == org_id)
    for row in (await session.scalars(query)).all():
        m = await _load(session, row.mentorship_id, with_program=False)
        mine = next(p for p in m.participants if p.id == row.id)
        mine.left_at = now
        if mine.role == Role.MENTOR:
            mine.replacement_ground = ReplacementGround.MENTOR_APPLICATION
        mentees_left = current_mentees(m)
        if m.status == MentorshipStatus.PROPOSED and (mine.role == Role.MENTOR or not mentees_left):
            m.status, m.ended_at = MentorshipStatus.DECLINED, now
        elif not mentees_left:
            m.status, m.ended_at = MentorshipStatus.COMPLETED, now
            m.completion_reason = CompletionReason.MENTEE_INITIATIVE
        key = "pairs.mentor_left" if mine.role == Role.MENTOR else "pairs.mentee_left"
        await _notify_all(session, m, key, now, i18n, skip=person_id)


# ----------------------------------------------------------------------------- reminders
async def send_plan_reminders(session: AsyncSession, now: datetime, i18n: I18n) -> int:
    """From 09:00 local time: items due in 3 days to the mentor and mentees, overdue items to the
    curators. Each notice goes once (its outbox key), however often this runs."""
    rows = (await session.execute(
        select(PlanItem, Mentorship.id, Organization.timezone).join(Program, PlanItem.program_id == Program.id)
        .join(Mentorship, Program.mentorship_id == Mentorship.id)
        .join(Organization, Mentorship.organization_id == Organization.id)
        .where(Mentorship.status == MentorshipStatus.ACTIVE, PlanItem.done_at.is_(None),
               PlanItem.due_date <= (now + timedelta(days=DUE_SOON_DAYS + 1)).date()))).all()
    sent = 0
    for item, mentorship_id, zone in rows:
        local = now.astimezone(ZoneInfo(zone))
        if local.time() < time(REMINDER_HOUR):
            continue
        today = local.date()
        m = await _load(session, mentorship_id)
        due = item.due_date.strftime("%d.%m.%Y")
        if today < item.due_date <= today + timedelta(days=DUE_SOON_DAYS):
            for p in [current_mentor(m), *current_mentees(m)]:
                if p is not None:
                    await _tell(session, p.person, "program.due_soon", now, i18n, activity=item.activity, due=due,
                                dedup_key=f"plan-item:{item.id}:due-soon:{p.person_id}")
                    sent += 1
        elif item.due_date < today:
            for curator in await _curators(session, m.organization_id):
                await _tell(session, curator, "program.overdue", now, i18n, activity=item.activity, due=due,
                            dedup_key=f"plan-item:{item.id}:overdue:{curator.id}",
                            **_describe(m, i18n, curator.locale))
                sent += 1
    await session.commit()
    return sent


# ------------------------------------------------------------------------------ history
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
    ids = select(Participant.mentorship_id).where(Participant.person_id == person_id)
    mentorships = (await session.scalars(
        select(Mentorship).where(Mentorship.id.in_(ids), Mentorship.organization_id == org_id)
        .options(selectinload(Mentorship.participants).selectinload(Participant.person))
        .order_by(Mentorship.id.desc()).limit(20))).all()
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
