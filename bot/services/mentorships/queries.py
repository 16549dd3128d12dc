"""The statements of pairs and groups, built once."""
from __future__ import annotations

from sqlalchemy import (
    Integer,
    Select,
    bindparam,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot.services.errors import NotFound
from bot.services.people import OPEN, has_current_mentor, named_select
from db.models import (
    Mentorship,
    Organization,
    Participant,
    Person,
    PlanItem,
    Program,
    Role,
)


def _load_statement(with_program: bool) -> Select:
    options = [selectinload(Mentorship.participants).joinedload(Participant.person, innerjoin=True)]
    if with_program:
        options.append(joinedload(Mentorship.program).selectinload(Program.items))
    return (select(Mentorship).where(Mentorship.id == bindparam("id", type_=Mentorship.id.type)).options(*options)
            .execution_options(populate_existing=True))


LOAD = {True: _load_statement(True), False: _load_statement(False)}  # built once


async def load_mentorship(session: AsyncSession, mentorship_id: int, *, with_program: bool = True) -> Mentorship:
    # populate_existing: collections loaded earlier in this session are reloaded too; three statements
    # (the mentorship with its program, the participants with their people, the plan's items), two
    # without the program (its attribute is then not loaded: who asks for it gets a lazy load error)
    m = await session.scalar(LOAD[with_program], {"id": mentorship_id})
    if m is None:
        raise NotFound()
    return m


PAIR_PEOPLE = (select(Mentorship.organization_id, Participant.person_id, Participant.role, Person.full_name)
               .outerjoin(Participant, (Participant.mentorship_id == Mentorship.id) & Participant.left_at.is_(None)
                          & Participant.declined_at.is_(None))
               .outerjoin(Person, Person.id == Participant.person_id)
               .where(Mentorship.id == bindparam("id", type_=Mentorship.id.type))
               .order_by(Participant.id))


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


def _my_mentorships() -> Select:
    """Built once (its subqueries made building it dearer than running it): `person_id`, and `curated`,
    the organisations the person curates (a list)."""
    mine = select(Participant.mentorship_id).where(
        Participant.person_id == bindparam("person_id", type_=Participant.person_id.type),
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    return named_select(select(Mentorship.id).where(
        (Mentorship.id.in_(mine)) | (Mentorship.organization_id.in_(bindparam("curated", expanding=True))))
        .order_by(Mentorship.id.desc()).limit(50).subquery())


MY_MENTORSHIPS = _my_mentorships()


def in_open_mentorship(role: Role):
    """People in a current pair or group in `role`; a mentee counts only while the pair has a mentor (one
    whose mentor left is back among those to pair)."""
    query = select(Participant.person_id).join(Mentorship).where(
        Mentorship.status.in_(OPEN), Participant.role == role,
        Participant.left_at.is_(None), Participant.declined_at.is_(None))
    if role == Role.MENTEE:
        query = query.where(has_current_mentor())
    return query
