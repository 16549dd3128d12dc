"""The curator's summary and the weekly digest: indicators (seed 001) and
what needs attention, computed with aggregate SQL (GROUP BY organisation) so that one organisation
and a region of a thousand cost a handful of queries each.

Who sees what: a curator or head sees their organisations; the coordinator's figures across
organisations are services.coordinators', made from `indicators` and `total` here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import reports
from bot.services import meetings
from bot.services.actor import Actor
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.journal import QUIET_DAYS
from bot.services.mentorships import local_today
from bot.services.notify import Action, Button, enqueue, tell
from bot.services.organizations import by_name
from bot.services.people import curators_of, mentor_loads, pair_titles
from bot.services.summary import queries
from bot.services.summary.queries import (
    ACTIVE_BY_FORM_KIND,
    AWAITING_APPROVAL,
    CANDIDATES,
    ENDING_PROGRAMS,
    GROWTH,
    HELP_MONTH,
    HELP_OPEN,
    IN_PROGRAMS,
    MEETINGS_MONTH,
    MENTEES_BY_CATEGORY,
    NO_PROGRAM,
    OVERDUE_ITEMS,
    PEOPLE_BY_ROLE,
    PROGRAMS_BY_STATUS,
    QUIET_PAIRS,
    REGISTERED,
    SURVEY_ANSWERS,
    SURVEYS,
    UNANSWERED_REQUESTS,
    UNPAIRED_MENTEES,
    UNREACHABLE,
    WITHOUT_MENTOR,
)
from db.models import (
    AssessmentStage,
    HelpRequest,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    MentorshipStatus,
    Organization,
    Person,
    Role,
)

READERS = (Role.CURATOR, Role.HEAD)


ENDING_DAYS = 30


@dataclass
class Indicators:
    """The figures of one organisation, or the sum of several."""

    people_by_role: dict[Role, int] = field(default_factory=dict)
    mentees_by_category: dict[MenteeCategory | None, int] = field(default_factory=dict)
    teachers_total: int = 0  # МПо: the organisation's setting, or the registered teachers
    teachers_total_set: bool = True  # False when any organisation counted registered people instead
    teachers_in_programs: int = 0  # МПн
    young_total: int = 0  # young teachers: under 35, in the first 3 years of work (seed 001)
    young_total_set: bool = True
    young_covered: int = 0  # МПм: young teachers who are mentees of an active pair or group
    programs: int = 0  # personalised programs developed
    programs_active: int = 0
    active_by_form: dict[MentoringForm, int] = field(default_factory=dict)
    active_by_kind: dict[MentoringKind, int] = field(default_factory=dict)
    meetings_month: int = 0
    minutes_month: int = 0
    help_month: int = 0
    help_open: int = 0
    help_overdue: int = 0
    help_median_minutes: float | None = None  # time to the first answer, requests of this month
    surveys: int = 0  # launched
    survey_invited: int = 0
    survey_answered: int = 0
    satisfaction: float | None = None  # mean of the closed surveys' 1–10 answers (those with results)
    satisfaction_surveys: int = 0
    programs_assessed: int = 0  # completed programs rated at the start and at the end
    programs_grown: int = 0  # … whose average rating rose
    rating_before: float = 0.0  # the sum of those programs' average ratings at the start (÷ programs_assessed)
    rating_after: float = 0.0

    @property
    def active_pairs(self) -> int:
        return sum(self.active_by_form.values())

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return 100 * part / whole if whole else None

    @property
    def programs_share(self) -> float | None:  # МПн / МПо × 100 %
        return self.share(self.teachers_in_programs, self.teachers_total)

    @property
    def young_share(self) -> float | None:  # МПм / МПо × 100 % over young teachers
        return self.share(self.young_covered, self.young_total)

    @property
    def response_rate(self) -> float | None:
        return self.share(self.survey_answered, self.survey_invited)

    @property
    def growth_share(self) -> float | None:  # completed programs that show growth, % of those assessed
        return self.share(self.programs_grown, self.programs_assessed)

    def mean_rating(self, after: bool) -> float | None:
        total = self.rating_after if after else self.rating_before
        return total / self.programs_assessed if self.programs_assessed else None


def total(parts: list[Indicators]) -> Indicators:
    """Sums, counts and weighted means over organisations; a median cannot be summed, so the total's
    median is the median of the organisations' medians (said so where it is shown)."""
    result = Indicators()
    for f in fields(Indicators):
        values = [getattr(p, f.name) for p in parts]
        if f.name in ("teachers_total_set", "young_total_set"):
            setattr(result, f.name, all(values))
        elif isinstance(getattr(result, f.name), dict):
            merged: dict[Any, int] = defaultdict(int)
            for value in values:
                for key, count in value.items():
                    merged[key] += count
            setattr(result, f.name, dict(merged))
        elif f.name == "help_median_minutes":
            medians = sorted(v for v in values if v is not None)
            n = len(medians)
            result.help_median_minutes = (medians[(n - 1) // 2] + medians[n // 2]) / 2 if n else None
        elif f.name == "satisfaction":
            weighted = [(p.satisfaction, p.satisfaction_surveys) for p in parts if p.satisfaction is not None]
            weight = sum(w for _, w in weighted)
            result.satisfaction = sum(v * w for v, w in weighted) / weight if weight else None
        else:
            setattr(result, f.name, sum(values))
    return result


async def readable_orgs(session: AsyncSession, actor: Actor) -> list[Organization]:
    """The organisations whose summary the actor may read (curator/head: theirs)."""
    ids = [org_id for org_id, _ in actor.orgs_where(*READERS)]
    if not ids:
        return []
    return await by_name(session, ids)


async def org_for_reader(session: AsyncSession, actor: Actor, org_id: int) -> Organization:
    """One organisation the actor may read as its curator or head (a coordinator reads figures
    through services.coordinators)."""
    if actor.has_role(org_id, *READERS):
        org = await session.get(Organization, org_id)
        if org is not None:
            return org
    raise AccessDenied("summary.not_yours")


def month_start(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date().replace(day=1), time(0), tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


async def indicators(session: AsyncSession, orgs: list[Organization], now: datetime) -> dict[int, Indicators]:
    """Every organisation's indicators: a dozen aggregate queries for all of them together (three more
    per time zone for the figures of "this month")."""
    ids = [o.id for o in orgs]
    out = {o.id: Indicators() for o in orgs}
    if not ids:
        return out

    async def rows(statement: Any, **params: Any) -> list[Any]:
        return (await session.execute(statement, {"ids": ids, **params})).all()

    for org_id, role, n in await rows(PEOPLE_BY_ROLE):
        out[org_id].people_by_role[role] = n
    for org_id, category, n in await rows(MENTEES_BY_CATEGORY):
        out[org_id].mentees_by_category[category] = n
    registered = {org_id: (n, young) for org_id, n, young in await rows(REGISTERED)}
    in_programs = {org_id: (n, young) for org_id, n, young in await rows(IN_PROGRAMS)}
    for o in orgs:
        i = out[o.id]
        teachers, young = registered.get(o.id, (0, 0))
        i.teachers_total_set = o.teachers_total is not None
        i.teachers_total = o.teachers_total if o.teachers_total is not None else teachers
        i.young_total_set = o.young_teachers_total is not None
        i.young_total = o.young_teachers_total if o.young_teachers_total is not None else young
        i.teachers_in_programs, i.young_covered = in_programs.get(o.id, (0, 0))
    for org_id, status, n in await rows(PROGRAMS_BY_STATUS):
        out[org_id].programs += n
        if status == MentorshipStatus.ACTIVE:
            out[org_id].programs_active += n
    for org_id, form, kind, n in await rows(ACTIVE_BY_FORM_KIND):
        i = out[org_id]
        i.active_by_form[form] = i.active_by_form.get(form, 0) + n
        i.active_by_kind[kind] = i.active_by_kind.get(kind, 0) + n
    # this month, by each organisation's calendar
    zones: dict[str, list[int]] = defaultdict(list)
    for o in orgs:
        zones[o.timezone].append(o.id)
    median = queries.median_wait(session.get_bind().dialect.name)
    for zone, zone_ids in zones.items():
        start = month_start(now, zone)
        first_day = start.astimezone(ZoneInfo(zone)).date()
        for org_id, n, minutes in (await session.execute(MEETINGS_MONTH, {"ids": zone_ids, "first_day": first_day})):
            out[org_id].meetings_month, out[org_id].minutes_month = n, int(minutes)
        for org_id, n in (await session.execute(HELP_MONTH, {"ids": zone_ids, "start": start})):
            out[org_id].help_month = n
        for org_id, wait in (await session.execute(median, {"ids": zone_ids, "start": start})):
            out[org_id].help_median_minutes = float(wait) / 60
    for org_id, open_, overdue in await rows(HELP_OPEN, now=now):
        out[org_id].help_open, out[org_id].help_overdue = open_, overdue
    for org_id, n, mean, scored in await rows(SURVEYS):
        out[org_id].surveys = n
        if scored:
            out[org_id].satisfaction, out[org_id].satisfaction_surveys = float(mean), scored
    for org_id, invited, answered in await rows(SURVEY_ANSWERS):
        out[org_id].survey_invited, out[org_id].survey_answered = invited, int(answered)
    ratings: dict[tuple[int, int], dict[AssessmentStage, float]] = defaultdict(dict)
    for org_id, mentorship_id, stage, mean in await rows(GROWTH):
        ratings[(org_id, mentorship_id)][stage] = float(mean)
    for (org_id, _), by_stage in ratings.items():
        if len(by_stage) == 2:
            i = out[org_id]
            i.programs_assessed += 1
            i.programs_grown += by_stage[AssessmentStage.END] > by_stage[AssessmentStage.START]
            i.rating_before += by_stage[AssessmentStage.START]
            i.rating_after += by_stage[AssessmentStage.END]
    return out


@dataclass
class AttentionItem:
    target: int  # a mentorship, a help request or a person, by the list
    text: str
    when: date | datetime | None = None


@dataclass
class Attention:
    overdue_items: tuple[int, list[AttentionItem]] = (0, [])  # (how many, the first few)
    unanswered_requests: tuple[int, list[AttentionItem]] = (0, [])
    quiet_pairs: tuple[int, list[AttentionItem]] = (0, [])
    ending_programs: tuple[int, list[AttentionItem]] = (0, [])
    unreachable: tuple[int, list[AttentionItem]] = (0, [])
    without_mentor: tuple[int, list[AttentionItem]] = (0, [])
    unpaired_mentees: tuple[int, list[AttentionItem]] = (0, [])  # (003 §5.3) a person each, since when
    no_program: tuple[int, list[AttentionItem]] = (0, [])
    candidates: tuple[int, list[AttentionItem]] = (0, [])  # mentors waiting to be admitted
    awaiting_approval: tuple[int, list[AttentionItem]] = (0, [])  # with the head

    @property
    def empty(self) -> bool:
        return not any(count for count, _ in (getattr(self, f.name) for f in fields(self)))


async def attention(session: AsyncSession, org: Organization, now: datetime) -> Attention:
    """The lists, a statement each (its first few rows and how many in all), and the pairs' names
    in one more."""

    today = local_today(now, org.timezone)
    params = {"org": org.id, "today": today, "quiet_before": today - timedelta(days=QUIET_DAYS),
              "ending_by": today + timedelta(days=ENDING_DAYS)}

    async def listed(statement: Any, make: Any) -> tuple[int, list[AttentionItem]]:
        rows = (await session.execute(statement, params)).all()
        return (rows[0].total if rows else 0), [make(row) for row in rows]

    result = Attention()
    result.overdue_items = await listed(OVERDUE_ITEMS, lambda r: AttentionItem(r[0], r[1], r[2]))
    result.unanswered_requests = await listed(UNANSWERED_REQUESTS, lambda r: AttentionItem(r[0], r[1], r[2]))
    result.quiet_pairs = await listed(QUIET_PAIRS, lambda r: AttentionItem(r[0], "", r[1]))
    result.ending_programs = await listed(ENDING_PROGRAMS, lambda r: AttentionItem(r[0], "", r[1]))
    result.unreachable = await listed(UNREACHABLE, lambda r: AttentionItem(r[0], r[1] or "—", r[2]))
    result.without_mentor = await listed(WITHOUT_MENTOR, lambda r: AttentionItem(r[0], "", r[1]))
    result.unpaired_mentees = await listed(UNPAIRED_MENTEES, lambda r: AttentionItem(r[0], r[1] or "—", r[2]))
    result.no_program = await listed(NO_PROGRAM, lambda r: AttentionItem(r[0], "", r[1]))
    result.candidates = await listed(CANDIDATES, lambda r: AttentionItem(r[0], r[1] or "—", r[2]))
    result.awaiting_approval = await listed(AWAITING_APPROVAL, lambda r: AttentionItem(r[0], "", r[1]))
    paired = [item for _, items in (result.quiet_pairs, result.ending_programs, result.overdue_items,
                                    result.without_mentor, result.no_program, result.awaiting_approval)
              for item in items]
    if paired:
        labels = await pair_titles(session, {item.target for item in paired})
        for item in paired:
            item.text = labels.get(item.target, "— → —") + (f": {item.text}" if item.text else "")
    return result


@dataclass
class WeekFigures:
    joined: int
    pairs_started: int
    programs_completed: int
    meetings: int
    minutes: int
    requests: int
    requests_closed: int
    surveys_closed: int
    weeks: list[date]  # Mondays of the last 12 weeks, oldest first
    meetings_by_week: list[int]
    requests_by_week: list[int]


async def week_figures(session: AsyncSession, org: Organization, now: datetime, weeks: int = 12) -> WeekFigures:
    """The past seven days' changes and, per week over `weeks` weeks, meetings and help requests."""
    zone = ZoneInfo(org.timezone)
    today = now.astimezone(zone).date()
    week_ago = now - timedelta(days=7)
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]

    week = await queries.week_counts(session, org.id, week_ago, today)
    by_day = await queries.meetings_by_day(session, org.id, first)
    request_days = await queries.requests_by_day(session, org.id, datetime.combine(first, time(0), tzinfo=zone))

    def weekly(days: dict[Any, int]) -> list[int]:
        counts = [0] * weeks
        for day, n in days.items():
            day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
            index = (day - first).days // 7
            if 0 <= index < weeks:
                counts[index] += n
        return counts

    return WeekFigures(week["joined"], week["pairs"], week["completed"], week["meetings"], week["minutes"],
                       week["requests"], week["closed"], week["surveys"], mondays, weekly(by_day),
                       weekly(request_days))


DIGEST_WINDOW = timedelta(hours=1)  # a digest more than an hour late (the bot was down) waits a week


def digest_slot(org: Organization, now: datetime) -> datetime | None:
    """The latest local weekday and hour of the organisation's digest at or before `now`, in UTC."""
    if org.digest_weekday is None:
        return None
    zone = ZoneInfo(org.timezone)
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - org.digest_weekday) % 7)
    slot = datetime.combine(day, time(org.digest_hour), tzinfo=zone)
    if slot > now:
        slot = datetime.combine(day - timedelta(days=7), time(org.digest_hour), tzinfo=zone)
    return slot.astimezone(ZoneInfo("UTC"))


async def send_due_digests(session: AsyncSession, now: datetime, i18n: Any) -> int:
    """Every minute: organisations whose digest time has come get it once (to their curators)."""
    queued = 0
    for org in await queries.with_digest(session):
        slot = digest_slot(org, now)
        if slot is None or (org.digest_sent_at is not None and org.digest_sent_at >= slot):
            continue
        if now - slot > DIGEST_WINDOW:
            continue
        org.digest_sent_at = slot
        queued += await send_digest(session, org, slot, now, i18n)
    await session.commit()
    return queued


async def send_digest(session: AsyncSession, org: Organization, slot: datetime, now: datetime, i18n: Any) -> int:
    """The week's changes, the indicators, what needs attention, and a chart of 12 weeks, through
    the outbox to every curator of the organisation. The caller commits."""

    recipients = [c for c in await curators_of(session, org.id) if c.telegram_id is not None]
    if not recipients:
        return 0
    ind = (await indicators(session, [org], now))[org.id]
    att = await attention(session, org, now)
    week = await week_figures(session, org, now)
    planned, not_held = await meetings.week_counts(session, org, now)
    stamp = int(slot.timestamp())
    charts: dict[str | None, bytes] = {}
    for curator in recipients:
        t = i18n.get(curator.locale)
        if t.locale not in charts:
            charts[t.locale] = await reports.weekly_chart(t, t.plain("summary.chart_title", org=org.name), week)
        text = "\n\n".join([
            t("summary.digest_title", org=org.name, date=now.astimezone(ZoneInfo(org.timezone)).strftime("%d.%m.%Y")),
            t("summary.week", joined=week.joined, pairs=week.pairs_started, completed=week.programs_completed,
              meetings=week.meetings, hours=reports.number(t, week.minutes / 60), requests=week.requests,
              closed=week.requests_closed, surveys=week.surveys_closed),
            t("summary.planned_meetings", planned=planned, not_held=not_held),
            reports.indicators_text(t, ind), reports.attention_text(t, att), t("summary.digest_more")])
        await enqueue(session, chat_id=curator.telegram_id, person_id=curator.id, kind="digest", text=text, now=now,
                      dedup_key=f"digest:{org.id}:{stamp}:{curator.id}")
        await enqueue(session, chat_id=curator.telegram_id, person_id=curator.id, kind="digest", now=now,
                      text=t("summary.chart_caption"), photo=charts[t.locale],
                      dedup_key=f"digest:{org.id}:{stamp}:{curator.id}:chart")
    return 2 * len(recipients)


async def set_digest(session: AsyncSession, actor: Actor, org_id: int, weekday: int | None, hour: int,
                     now: datetime) -> None:
    """The curator chooses the digest's day (None: off) and hour, in the organisation's time."""
    if not actor.has_role(org_id, Role.CURATOR):
        raise AccessDenied("summary.only_curators")
    if (weekday is not None and not 0 <= weekday <= 6) or not 0 <= hour <= 23:
        raise InvalidInput()
    org = await session.get(Organization, org_id)
    assert org is not None
    org.digest_weekday, org.digest_hour = weekday, hour
    # this week's slot, if already past, is not sent late
    org.digest_sent_at = digest_slot(org, now)
    await session.commit()


async def set_staff(session: AsyncSession, actor: Actor, org_id: int, teachers: int, young: int) -> None:
    """МПо for the indicators: all teachers of the organisation and the young ones among them."""
    if not actor.has_role(org_id, *READERS):
        raise AccessDenied("summary.only_curators")
    if not (0 < teachers <= 100_000 and 0 <= young <= teachers):
        raise InvalidInput("summary.bad_staff")
    org = await session.get(Organization, org_id)
    assert org is not None
    org.teachers_total, org.young_teachers_total = teachers, young
    await session.commit()


PAIRING_SETTINGS = ("mentor_self_choice", "mentor_selection")  # how mentees get mentors; on by default


async def toggle_setting(session: AsyncSession, actor: Actor, org_id: int, name: str) -> Organization:
    """The curator turns one of the organisation's pairing settings on or off: whether mentees may choose
    a mentor (/mentors), whether mentor candidates wait for admission (selection)."""
    if not actor.has_role(org_id, Role.CURATOR):
        raise AccessDenied("summary.only_curators")
    if name not in PAIRING_SETTINGS:
        raise InvalidInput()
    org = await session.get(Organization, org_id)
    assert org is not None
    setattr(org, name, not getattr(org, name))
    await session.commit()
    return org


async def request_card(session: AsyncSession, actor: Actor, request_id: int) -> tuple[HelpRequest, str, str | None]:
    """A help request as the curator sees it from the summary: the request, the mentee, the mentor."""
    request = await session.get(HelpRequest, request_id)
    if request is None or not actor.has_role(request.organization_id, *READERS):
        raise AccessDenied("summary.not_yours")
    mentee = await session.get(Person, request.mentee_id)
    mentor = await session.get(Person, request.mentor_id) if request.mentor_id else None
    return request, (mentee.full_name if mentee else None) or "—", mentor.full_name if mentor else None


SCHOOL_YEAR_HOUR = 9  # 1 September, from 09:00 local time


@dataclass(frozen=True)
class BankReview:
    """What the curator reviews as a school year begins: who still needs a mentor, the mentors' places."""

    unpaired_mentees: int
    candidates: int
    mentors: int
    mentors_full: int
    free_places: int


async def bank_review(session: AsyncSession, org: Organization, now: datetime) -> BankReview:
    att = await attention(session, org, now)
    mentors = await queries.mentors_capacity(session, org.id)
    loads = await mentor_loads(session, [person_id for person_id, _ in mentors])
    free = [(capacity or 0) - loads.get(person_id, 0) for person_id, capacity in mentors]
    return BankReview(att.unpaired_mentees[0], att.candidates[0], len(mentors), sum(1 for f in free if f <= 0),
                      sum(f for f in free if f > 0))


async def send_school_year_reviews(session: AsyncSession, now: datetime, i18n: Any) -> int:
    """On 1 September from 09:00 local time, each curator is asked once to review the bank of mentors
    and mentees (seed 001, the road map: the banks are formed for the year), with buttons to the lists."""
    queued = 0
    for org in await queries.all_organisations(session):
        local = now.astimezone(ZoneInfo(org.timezone))
        if (local.month, local.day) != (9, 1) or local.hour < SCHOOL_YEAR_HOUR:
            continue
        curators = await curators_of(session, org.id)
        if not curators:
            continue
        review = await bank_review(session, org, now)
        for curator in curators:
            t = i18n.get(curator.locale)
            buttons = [[Button(t.plain("btn.bank_mentees"), Action.REGISTRY_MENTEES, {"org": org.id}),
                        Button(t.plain("btn.bank_mentors"), Action.REGISTRY_MENTORS, {"org": org.id})]]
            await tell(session, curator, "summary.school_year", now, i18n, org=org.name, year=local.year,
                       next_year=local.year + 1, unpaired=review.unpaired_mentees, candidates=review.candidates,
                       mentors=review.mentors, full=review.mentors_full, free=review.free_places, buttons=buttons,
                       dedup_key=f"school-year:{org.id}:{local.year}:{curator.id}")
            queued += 1
    await session.commit()
    return queued
