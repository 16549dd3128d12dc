"""The statements of help requests, built once at import."""
from __future__ import annotations

from sqlalchemy import Select, and_, bindparam, case, select, true
from sqlalchemy.orm import aliased

from db.models import (
    HelpRequest,
    HelpRequestStatus,
    Mentorship,
    MentorshipStatus,
    Organization,
    Participant,
    Person,
    Role,
    Topic,
)

MAX_OFFERS = 20


def _own_mentor_statement() -> Select:
    """The confirmed current mentor of an active pair or group where `person_id` is a current mentee,
    in `org_id`: the first such pair (by id). Built once."""
    mentee, mentor = aliased(Participant), aliased(Participant)
    return (select(Person.id, Person.telegram_id, Person.locale)
            .select_from(mentee)
            .join(Mentorship, Mentorship.id == mentee.mentorship_id)
            .join(mentor, and_(mentor.mentorship_id == Mentorship.id, mentor.role == Role.MENTOR,
                               mentor.left_at.is_(None), mentor.declined_at.is_(None), mentor.confirmed_at.is_not(None)))
            .join(Person, Person.id == mentor.person_id)
            .where(Mentorship.organization_id == bindparam("org_id", type_=Mentorship.organization_id.type),
                   Mentorship.status == MentorshipStatus.ACTIVE,
                   mentee.person_id == bindparam("person_id", type_=Participant.person_id.type),
                   mentee.role == Role.MENTEE, mentee.left_at.is_(None), mentee.declined_at.is_(None))
            .order_by(Mentorship.id).limit(1))


OWN_MENTOR = _own_mentor_statement()


# what a request needs to know of its organisation, its author and its topic, in one row (the topic's
# title is NULL when there is none, or when it is not this organisation's)
REQUEST_CONTEXT = (select(Organization.help_escalation_hours, Organization.timezone, Person.full_name,
                          select(Topic.title).where(Topic.id == bindparam("topic_id", type_=Topic.id.type),
                                                    Topic.organization_id == Organization.id)
                          .scalar_subquery().label("topic"))
                   .select_from(Organization).join(Person, true())  # one row each: no cartesian product
                   .where(Organization.id == bindparam("org_id", type_=Organization.id.type),
                          Person.id == bindparam("person_id", type_=Person.id.type)))


IN_PROGRESS = (select(HelpRequest.id, HelpRequest.mentee_id, HelpRequest.mentor_id, Person.full_name)
               .join(Person, Person.id == case(
                   (HelpRequest.mentee_id == bindparam("person_id", type_=HelpRequest.mentee_id.type),
                    HelpRequest.mentor_id), else_=HelpRequest.mentee_id))
               .where(HelpRequest.status == HelpRequestStatus.TAKEN,
                      (HelpRequest.mentee_id == bindparam("person_id")) | (HelpRequest.mentor_id == bindparam("person_id")))
               .order_by(HelpRequest.taken_at.desc(), HelpRequest.id.desc()).limit(MAX_OFFERS))
