"""The best-practice bank (/practices; «банк лучших практик», «методическая копилка»: seed 000 §4.7.2, 003
§6.3, 004 §III.6.4 and §III.12.5). A mentor or curator submits a practice — a title, a description, its
topic, the completed program it came from, files — the curator approves it for the school (or returns
it), and a coordinator features it for every organisation below. Everyone sees the practices approved in
their own organisation and those featured around it, and searches them by words and topic. The files stay
with Telegram: a reader gets copies of the author's messages."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import I18n
from bot.services import coordinators
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput, NotFound
from bot.services.mentorships import clean_text
from bot.services.notify import Action, Button, enqueue, tell
from bot.services.organizations import neighbourhood
from bot.services.people import curators_of, pair_titles
from bot.services.practices import queries
from db.models import Person, Practice, PracticeFile, PracticeStatus, Role

AUTHORS = (Role.MENTOR, Role.CURATOR)
TITLE_MAX, DESCRIPTION_MAX, FILES_MAX = 200, 3000, 5
LISTED = 10


@dataclass(frozen=True)
class PracticeDraft:
    title: str
    description: str
    topic_id: int | None = None
    mentorship_id: int | None = None
    files: Sequence[tuple[int, int]] = ()  # (chat id, message id) of the author's messages


@dataclass(frozen=True)
class PracticeCard:
    id: int
    title: str
    description: str
    organization: str
    topic: str | None
    status: PracticeStatus
    from_program: bool
    files: int
    can_decide: bool = False  # the reader is its organisation's curator and it waits
    can_feature: bool = False  # the reader coordinates its organisation and it is approved
    can_post: bool = False  # the reader is its curator, it is in the bank, and the organisation has a channel


@dataclass(frozen=True)
class SubmissionContext:
    organization_id: int
    topics: list[tuple[int, str]]
    programs: list[tuple[int, str]] = field(default_factory=list)  # completed pairs (id, title)


def search_key(*parts: str | None) -> str:
    """What search matches: the words case-folded, ё as е (SQLite's lower() knows no Cyrillic)."""
    return " ".join(" ".join(p.casefold().replace("ё", "е").split()) for p in parts if p)


async def submission_context(session: AsyncSession, actor: Actor) -> SubmissionContext:
    org_id = actor.first_org_where(*AUTHORS, denied="practices.only_authors")
    mentor = None if actor.has_role(org_id, Role.CURATOR) else actor.person_id
    programs = await queries.completed_programs(session, org_id, mentor)
    titles = await pair_titles(session, programs)
    return SubmissionContext(org_id, await queries.topics_of(session, org_id),
                             [(mentorship_id, titles[mentorship_id]) for mentorship_id in programs])


async def submit(session: AsyncSession, actor: Actor, draft: PracticeDraft, now: datetime, i18n: I18n) -> int:
    """The practice, waiting for the curator of the author's organisation, who is told."""
    context = await submission_context(session, actor)
    title, description = clean_text(draft.title, TITLE_MAX), clean_text(draft.description, DESCRIPTION_MAX)
    topics = dict(context.topics)
    if draft.topic_id is not None and draft.topic_id not in topics:
        raise InvalidInput("error.stale_button")
    if draft.mentorship_id is not None and draft.mentorship_id not in dict(context.programs):
        raise InvalidInput("practices.program_not_completed")
    if len(draft.files) > FILES_MAX:
        raise InvalidInput("practices.too_many_files", max=FILES_MAX)
    practice = Practice(organization_id=context.organization_id, author_id=actor.person_id, title=title,
                        description=description, topic_id=draft.topic_id, mentorship_id=draft.mentorship_id,
                        search_text=search_key(title, description, topics.get(draft.topic_id or 0)),
                        status=PracticeStatus.SUBMITTED, created_at=now)
    session.add(practice)
    await session.flush()
    session.add_all(PracticeFile(practice_id=practice.id, chat_id=chat, message_id=message)
                    for chat, message in draft.files)
    for curator in await curators_of(session, context.organization_id):
        if curator.id == actor.person_id:
            continue
        t = i18n.get(curator.locale)
        await tell(session, curator, "practices.submitted_notice", now, i18n, title=title,
                   buttons=[[Button(t.plain("btn.practice_open"), Action.OPEN_PRACTICE, {"practice": practice.id})]])
    await session.commit()
    return practice.id


def _reader_orgs(actor: Actor) -> list[int]:
    return [org_id for org_id, _ in actor.orgs_where(*(r for r in Role if r != Role.GUEST))]


async def _coordinated(session: AsyncSession, actor: Actor) -> set[int]:
    """The organisations below the actor's as a coordinator (read once a request, passed along)."""
    return {o.id for o in await coordinators.coordinated_orgs(session, actor)}


async def _region(session: AsyncSession, own: list[int], coordinated: set[int]) -> list[int]:
    """The organisations whose featured practices the reader sees: around their own, and below theirs."""
    around: set[int] = set(coordinated)
    for org_id in own:
        around.update(await neighbourhood(session, org_id))
    return sorted(around - set(own))


async def browse(session: AsyncSession, actor: Actor, text: str = "", topic: str | None = None) -> list[PracticeCard]:
    """The practices the actor may read that match every word of `text` (and the topic), newest first."""
    own = _reader_orgs(actor)
    if not own:
        raise AccessDenied("error.not_registered")
    coordinated = await _coordinated(session, actor)
    region = await _region(session, own, coordinated)
    rows = await queries.visible(session, own + sorted(coordinated), region, search_key(text).split(), topic,
                                 LISTED)
    return [await _card(session, actor, p, org, topic_title, coordinated) for p, org, topic_title in rows]


async def _card(session: AsyncSession, actor: Actor, p: Practice, org: str, topic: str | None,
                coordinated: set[int]) -> PracticeCard:
    return PracticeCard(p.id, p.title, p.description, org, topic, p.status, p.mentorship_id is not None,
                        len(await queries.files_of(session, p.id)),
                        can_decide=p.status == PracticeStatus.SUBMITTED and actor.has_role(p.organization_id,
                                                                                            Role.CURATOR),
                        can_feature=p.status == PracticeStatus.APPROVED and p.organization_id in coordinated,
                        can_post=p.status in queries.SHOWN and actor.has_role(p.organization_id, Role.CURATOR)
                        and await queries.channel_of(session, p.organization_id) is not None)


async def card(session: AsyncSession, actor: Actor, practice_id: int) -> PracticeCard:
    """One practice, for whoever may read it: its author, its organisation's curators (while it waits),
    and the readers the bank shows it to."""
    row = await queries.one(session, practice_id)
    if row is None:
        raise NotFound()
    p, org, topic = row
    coordinated = await _coordinated(session, actor)
    if not (p.author_id == actor.person_id or actor.has_role(p.organization_id, Role.CURATOR)
            or await _shown_to(session, actor, p, coordinated)):
        raise AccessDenied()
    return await _card(session, actor, p, org, topic, coordinated)


async def _shown_to(session: AsyncSession, actor: Actor, p: Practice, coordinated: set[int]) -> bool:
    """The bank shows the practice to the actor: approved in their organisation (or one they coordinate),
    or featured around it."""
    if p.status not in queries.SHOWN:
        return False
    own = _reader_orgs(actor)
    return p.organization_id in set(own) | coordinated or (
        p.status == PracticeStatus.FEATURED and p.organization_id in set(await _region(session, own, coordinated)))


async def pending(session: AsyncSession, actor: Actor) -> list[PracticeCard]:
    """The practices waiting for the actor as a curator."""
    orgs = [org_id for org_id, _ in actor.orgs_where(Role.CURATOR)]
    if not orgs:
        return []
    coordinated = await _coordinated(session, actor)
    return [await _card(session, actor, p, org, topic, coordinated)
            for p, org, topic in await queries.submitted(session, orgs)]


async def decide(session: AsyncSession, actor: Actor, practice_id: int, approve: bool, now: datetime,
                 i18n: I18n) -> PracticeStatus:
    """The curator approves the practice for the school's bank, or returns it; the author is told."""
    p = await session.get(Practice, practice_id)
    if p is None:
        raise NotFound()
    if not actor.has_role(p.organization_id, Role.CURATOR):
        raise AccessDenied("practices.only_curators")
    if p.status != PracticeStatus.SUBMITTED:
        raise InvalidInput("practices.decided")
    p.status = PracticeStatus.APPROVED if approve else PracticeStatus.RETURNED
    p.decided_by_id, p.decided_at = actor.person_id, now
    author = await session.get(Person, p.author_id)
    if author is not None:
        await tell(session, author, "practices.approved" if approve else "practices.returned", now, i18n,
                   title=p.title)
    await session.commit()
    return p.status


async def feature(session: AsyncSession, actor: Actor, practice_id: int, now: datetime, i18n: I18n) -> None:
    """A coordinator shows an approved practice of an organisation below to every organisation around."""
    p = await session.get(Practice, practice_id)
    if p is None:
        raise NotFound()
    if p.organization_id not in await _coordinated(session, actor):
        raise AccessDenied("practices.only_coordinators")
    if p.status != PracticeStatus.APPROVED:
        raise InvalidInput("practices.decided")
    p.status, p.featured_at = PracticeStatus.FEATURED, now
    author = await session.get(Person, p.author_id)
    if author is not None:
        await tell(session, author, "practices.featured", now, i18n, title=p.title)
    await session.commit()


async def send_files(session: AsyncSession, actor: Actor, practice_id: int, chat_id: int, now: datetime) -> int:
    """Copies of the practice's files to the reader, through the outbox. Returns how many."""
    await card(session, actor, practice_id)
    files = await queries.files_of(session, practice_id)
    for n, f in enumerate(files):
        await enqueue(session, chat_id=chat_id, person_id=actor.person_id, kind="practice", text="",
                      copy_of=(f.chat_id, f.message_id), now=now,
                      dedup_key=f"practice:{practice_id}:file:{n}:{actor.person_id}:{int(now.timestamp())}")
    await session.commit()
    return len(files)


async def post_to_channel(session: AsyncSession, actor: Actor, practice_id: int, now: datetime,
                          i18n: I18n) -> None:
    """The curator posts a practice of the bank to the organisation's Telegram channel (the bot is its
    admin), with its files; a practice from a program only once that program is completed. Through the
    outbox, so within Telegram's limits; posted once."""
    p = await session.get(Practice, practice_id)
    if p is None:
        raise NotFound()
    if not actor.has_role(p.organization_id, Role.CURATOR):
        raise AccessDenied("practices.only_curators")
    channel = await queries.channel_of(session, p.organization_id)
    if channel is None:
        raise InvalidInput("practices.no_channel")
    if p.status not in queries.SHOWN:
        raise InvalidInput("practices.not_in_bank")
    if p.mentorship_id is not None and not await queries.program_completed(session, p.mentorship_id):
        raise InvalidInput("practices.program_not_completed")
    row = await queries.one(session, p.id)
    t = i18n.get(None)
    posted = await enqueue(session, chat_id=channel, kind="channel", now=now, dedup_key=f"practice:{p.id}:channel",
                           text=t("practices.post", title=p.title, org=row[1] if row else "—",
                                  topic=(row[2] if row else None) or "—", description=p.description))
    if posted is None:
        raise InvalidInput("practices.posted_already")
    for n, f in enumerate(await queries.files_of(session, p.id)):
        await enqueue(session, chat_id=channel, kind="channel", text="", copy_of=(f.chat_id, f.message_id), now=now,
                      dedup_key=f"practice:{p.id}:channel:{n}")
    await session.commit()
