"""Services on their own: authorisation, invites, consent and erasure, registry paging and search."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.i18n import I18n
from bot.services import consent, onboarding, profile, registry
from bot.services.actor import load_actor
from bot.services.errors import AccessDenied, InvalidInput, InvalidInvite, NotFound
from bot.services.invites import create_invite, hash_token, inspect_invite
from bot.services.organizations import create_organization
from db.models import Invite, Person, Role
from db.repositories import InviteRepo
from tests.conftest import START


async def _org(db, name="Школа"):
    async with db() as session:
        return (await create_organization(session, name, "Asia/Yekaterinburg")).id


async def _join(db, telegram_id: int, org_id: int, role: Role, name: str | None = None):
    async with db() as session:
        token = (await create_invite(session, org_id=org_id, role=role, now=START)).token
        actor = await load_actor(session, telegram_id)
        await onboarding.join(session, actor, token, consent_given=True, locale=None, now=START)
        actor = await load_actor(session, telegram_id)
        if name:
            await profile.save_answer(session, actor, "full_name", name)
        return await load_actor(session, telegram_id)


async def test_invite_tokens_are_random_hashed_and_bounded(db):
    org_id = await _org(db)
    async with db() as session:
        tokens = {(await create_invite(session, org_id=org_id, role=Role.MENTEE, now=START, max_uses=1)).token
                  for _ in range(20)}
        assert len(tokens) == 20 and all(len(t) >= 22 for t in tokens)
        stored = (await session.execute(text("SELECT token_hash FROM invites"))).scalars().all()
        assert not set(stored) & tokens  # only hashes are stored
        token = next(iter(tokens))
        info = await inspect_invite(session, token, START)
        assert info.role == Role.MENTEE
        invite = await InviteRepo(session).by_hash(hash_token(token))
        assert await InviteRepo(session).consume(invite.id, START)
        assert not await InviteRepo(session).consume(invite.id, START)  # one use only, atomically
        await session.commit()
        with pytest.raises(InvalidInvite, match="invite.used_up"):
            await inspect_invite(session, token, START)
        other = next(t for t in tokens if t != token)
        with pytest.raises(InvalidInvite, match="invite.expired"):
            await inspect_invite(session, other, START + timedelta(days=7, seconds=1))
        for bad in ("", "short", "x" * 65, "токен-кириллицей-длинный", other[:-1] + "!"):
            with pytest.raises(InvalidInvite, match="invite.invalid"):
                await inspect_invite(session, bad, START)
        with pytest.raises(InvalidInput):
            await create_invite(session, org_id=org_id, role=Role.MENTOR, now=START, max_uses=0)
        with pytest.raises(NotFound):
            await create_invite(session, org_id=999, role=Role.MENTOR, now=START)


async def test_who_may_invite_whom(db):
    org_a, org_b = await _org(db, "Школа А"), await _org(db, "Школа Б")
    curator = await _join(db, 1, org_a, Role.CURATOR)
    mentor = await _join(db, 2, org_a, Role.MENTOR)
    async with db() as session:
        assert (await create_invite(session, org_id=org_a, role=Role.MENTOR, now=START, created_by=curator)).token
        for actor, org, role in [(curator, org_b, Role.MENTOR), (curator, org_a, Role.COORDINATOR),
                                 (mentor, org_a, Role.MENTEE)]:
            with pytest.raises(AccessDenied):
                await create_invite(session, org_id=org, role=role, now=START, created_by=actor)
        assert await session.scalar(select(Invite.created_by_id).where(Invite.created_by_id.is_not(None)))


async def test_joining_needs_consent_even_when_the_handler_is_bypassed(db):
    org_id = await _org(db)
    async with db() as session:
        token = (await create_invite(session, org_id=org_id, role=Role.MENTEE, now=START)).token
        actor = await load_actor(session, 77)
        with pytest.raises(AccessDenied):
            await onboarding.join(session, actor, token, consent_given=False, locale=None, now=START)
        assert (await session.execute(select(Person))).first() is None


async def test_a_second_role_needs_no_second_consent_in_the_same_organisation(db):
    org_id = await _org(db)
    actor = await _join(db, 5, org_id, Role.MENTOR, "Наставник Первый")
    async with db() as session:
        assert not await onboarding.needs_consent(session, actor, org_id)
        token = (await create_invite(session, org_id=org_id, role=Role.CURATOR, now=START)).token
        result = await onboarding.join(session, actor, token, consent_given=False, locale=None, now=START)
        assert result.role == Role.CURATOR and result.steps  # the mentor part is still to fill in
        actor = await load_actor(session, 5)
        assert actor.role_set() == {Role.MENTOR, Role.CURATOR}
        assert len(await consent.list_consents(session, actor)) == 1


async def test_withdrawal_per_organisation_then_erasure(db):
    org_a, org_b = await _org(db, "Школа А"), await _org(db, "Школа Б")
    await _join(db, 9, org_a, Role.MENTEE, "Двойкина Дарья")
    actor = await _join(db, 9, org_b, Role.MENTOR)
    async with db() as session:
        assert not await consent.withdraw_consent(session, actor, org_a, START, I18n())  # one consent remains
        actor = await load_actor(session, 9)
        assert actor.role_set() == {Role.MENTOR}
        person = await session.get(Person, actor.person_id)
        await session.refresh(person)
        assert person.full_name == "Двойкина Дарья"
        with pytest.raises(NotFound):
            await consent.withdraw_consent(session, actor, org_a, START, I18n())  # not twice
        assert await consent.withdraw_consent(session, actor, org_b, START, I18n())
        await session.refresh(person)
        assert person.full_name is None and person.telegram_id is None and person.erased_at is not None
        assert not (await load_actor(session, 9)).registered


async def test_registry_is_readable_only_inside_the_organisation(db):
    org_a, org_b = await _org(db, "Школа А"), await _org(db, "Школа Б")
    curator = await _join(db, 1, org_a, Role.CURATOR, "Куратор А")
    head = await _join(db, 2, org_a, Role.HEAD, "Директор А")
    mentee_b = await _join(db, 3, org_b, Role.MENTEE, "Наставляемая Б")
    mentor = await _join(db, 4, org_a, Role.MENTOR, "Наставник А")
    async with db() as session:
        page = await registry.registry_page(session, head, org_a)
        assert page.total == 3
        with pytest.raises(AccessDenied):
            await registry.registry_page(session, curator, org_b)
        with pytest.raises(AccessDenied):
            await registry.registry_page(session, mentor, org_a)
        with pytest.raises(NotFound):
            await registry.person_card(session, curator, org_a, mentee_b.person_id)
        with pytest.raises(AccessDenied):
            await registry.person_card(session, curator, org_b, mentee_b.person_id)
        card = await registry.person_card(session, curator, org_a, mentor.person_id)
        assert card.full_name == "Наставник А" and [r.role for r in card.roles] == [Role.MENTOR]
        only_mentors = await registry.registry_page(session, curator, org_a, role=Role.MENTOR)
        assert [r.full_name for r in only_mentors.rows] == ["Наставник А"]
        found = await registry.registry_page(session, curator, org_a, query=registry.clean_query(" ДИРЕКТОР "))
        assert [r.full_name for r in found.rows] == ["Директор А"]
        with pytest.raises(InvalidInput):
            registry.clean_query("   ")


async def test_registry_pages_cover_everyone_once(db):
    org_id = await _org(db)
    curator = await _join(db, 1, org_id, Role.CURATOR, "Аааа Куратор")
    for i in range(20):
        await _join(db, 100 + i, org_id, Role.MENTEE, f"Участник {i:02d}")
    async with db() as session:
        seen = []
        first = await registry.registry_page(session, curator, org_id)
        for number in range(first.pages):
            seen += [r.person_id for r in (await registry.registry_page(session, curator, org_id, page=number)).rows]
        assert first.pages == 3 and len(seen) == len(set(seen)) == 21
        last = await registry.registry_page(session, curator, org_id, page=99)  # clamped, not empty
        assert last.page == 2 and last.rows


async def test_profile_answers_only_for_own_memberships(db):
    org_id = await _org(db)
    mentee = await _join(db, 1, org_id, Role.MENTEE, "Первая")
    other = await _join(db, 2, org_id, Role.MENTEE, "Вторая")
    other_membership = other.roles[0].membership_id
    async with db() as session:
        with pytest.raises(AccessDenied):
            await profile.save_answer(session, mentee, f"category.{other_membership}", "young")
        own = mentee.roles[0].membership_id
        with pytest.raises(AccessDenied):
            await profile.save_answer(session, mentee, f"capacity.{own}", 3)  # a mentee has no capacity
        with pytest.raises(InvalidInput):
            await profile.save_answer(session, mentee, f"category.{own}", "superstar")
        await profile.save_answer(session, mentee, f"category.{own}", "young")
        assert "category.%d" % own not in profile.missing_steps(await _person(session, mentee.person_id))


async def _person(session, person_id):
    from db.repositories import PersonRepo

    return await PersonRepo(session).get(person_id)


@pytest.mark.parametrize("step, raw, expected", [
    ("full_name", "  Иванова   Анна  ", "Иванова Анна"),
    ("experience", " 7 ", 7),
    ("note", "  свои слова ", "свои слова"),
])
def test_parse_text_accepts(step, raw, expected):
    assert profile.parse_text(step, raw) == expected


@pytest.mark.parametrize("step, raw", [
    ("full_name", "Я" * 201), ("full_name", "12"), ("position", "-"), ("experience", "-1"),
    ("experience", "71"), ("experience", "5.5"), ("note", "x" * 1001),
    ("experience", "1²"), ("experience", "²"), ("experience", "٣"),  # isdigit() passes them; int() takes «٣»
])
def test_parse_text_refuses(step, raw):
    with pytest.raises(InvalidInput):
        profile.parse_text(step, raw)


@pytest.mark.parametrize("raw, expected", [("7", 7), (" 12 ", 12), ("0", 0), ("²", None), ("1²", None), ("٣", None),
                                           ("-1", None), ("", None), (None, None), ("1" * 10, None)])
def test_numbers_are_ascii_digits_only(raw, expected):
    from bot.services.numbers import parse_whole

    assert parse_whole(raw) == expected
