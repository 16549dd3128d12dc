"""/summary: the curator's (and head's) figures with what needs attention, the weekly digest's settings,
the staff numbers; for a coordinator, the first page of handlers.coordinators."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reports
from bot.handlers.common.callbacks import OrgPickCb
from bot.handlers.common.views import org_pick
from bot.handlers.coordinators.views import region_page
from bot.handlers.exports.callbacks import ExportCb, ExportPeriod
from bot.handlers.render import from_pairs, shorten, show
from bot.handlers.replies import text_expected
from bot.handlers.summary.callbacks import DigestCb, SettingCb, StaffCb, SummaryRequestCb
from bot.handlers.summary.states import StaffForm, StaffNumbers
from bot.handlers.summary.views import attention_label, attention_target, digest_label, settings_view
from bot.i18n import Translator
from bot.services import coordinators, meetings, summary
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_date, local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.numbers import is_whole
from bot.services.organizations import timezone_of
from db.models import Organization, Role

WEEKDAYS = range(7)
HOURS = range(6, 22)


# ------------------------------------------------------------------------------ /summary
async def summary_command(message: Message, session: AsyncSession, actor: Actor, t: Translator, clock: Clock) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    orgs = await summary.readable_orgs(session, actor)
    if coordinators.is_coordinator(actor):
        text, markup = region_page(t, await coordinators.region(session, actor, clock.now()), 0)
        await message.answer(text, reply_markup=markup)
    if not orgs:
        if not coordinators.is_coordinator(actor):
            raise AccessDenied("summary.only_curators")
        return
    if len(orgs) > 1:
        await message.answer(t("summary.pick_org"), reply_markup=org_pick([(o.id, o.name) for o in orgs], "summary"))
        return
    text, markup = await _organisation(session, actor, t, clock, orgs[0])
    await message.answer(text, reply_markup=markup)


async def org_picked(callback: CallbackQuery, callback_data: OrgPickCb, session: AsyncSession, actor: Actor,
                     t: Translator, clock: Clock) -> None:
    org = await summary.org_for_reader(session, actor, callback_data.org)
    await callback.answer()
    await show(callback, *await _organisation(session, actor, t, clock, org))


async def _organisation(session: AsyncSession, actor: Actor, t: Translator, clock: Clock,
                        org: Organization) -> tuple[str, InlineKeyboardMarkup]:
    now = clock.now()
    ind = (await summary.indicators(session, [org], now))[org.id]
    title = t("summary.title", org=org.name, date=local_date(now, org.timezone))
    buttons: list[tuple[str, str]] = []
    att = await summary.attention(session, org, now)
    for section in reports.ATTENTION_SECTIONS:
        for item in getattr(att, section)[1]:
            label = attention_label(t, section, item, org.timezone)
            buttons.append((label, attention_target(section, org.id, item.target)))
    buttons.append((t.plain("btn.export"), ExportCb(org=org.id, period=ExportPeriod.ASK).pack()))
    if actor.has_role(org.id, Role.CURATOR):
        buttons.append((digest_label(t, org), DigestCb(org=org.id, day=-1, hour=-1).pack()))
    buttons.append((t.plain("btn.staff"), StaffCb(org=org.id).pack()))
    if actor.has_role(org.id, Role.CURATOR):
        buttons.append((t.plain("btn.pairing_settings"), SettingCb(org=org.id, name="").pack()))
    planned, not_held = await meetings.week_counts(session, org, now)
    text = "\n\n".join([title, reports.indicators_text(t, ind), t("summary.planned_meetings", planned=planned,
                                                                    not_held=not_held), reports.attention_text(t, att)])
    return text, from_pairs(buttons)


async def request_pressed(callback: CallbackQuery, callback_data: SummaryRequestCb, session: AsyncSession,
                          actor: Actor, t: Translator) -> None:
    request, mentee, mentor = await summary.request_card(session, actor, callback_data.request)
    zone = await timezone_of(session, request.organization_id)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t(  # type: ignore[union-attr]
        "summary.request_card", id=request.id, mentee=mentee, mentor=mentor or "—",
        status=t.plain(f"hstatus.{request.status.value}"),
        created=local_time(request.created_at, zone), text=shorten(request.text, 1500)))


# -------------------------------------------------------------------------------- digest
async def digest_pressed(callback: CallbackQuery, callback_data: DigestCb, session: AsyncSession, actor: Actor,
                         t: Translator, clock: Clock) -> None:
    org_id, day, hour = callback_data.org, callback_data.day, callback_data.hour
    if not actor.has_role(org_id, Role.CURATOR):
        raise AccessDenied("summary.only_curators")
    if day == -1:
        await callback.answer()
        buttons = [(t.plain(f"weekday.d{d}"), DigestCb(org=org_id, day=d, hour=-1).pack()) for d in WEEKDAYS]
        buttons.append((t.plain("btn.digest_disable"), DigestCb(org=org_id, day=7, hour=0).pack()))
        await show(callback, t("summary.ask_digest_day"), from_pairs(buttons, 4))
        return
    if 0 <= day <= 6 and hour == -1:
        await callback.answer()
        await show(callback, t("summary.ask_digest_hour", day=t.plain(f"weekday.d{day}")), from_pairs(
            [(f"{h:02d}:00", DigestCb(org=org_id, day=day, hour=h).pack()) for h in HOURS], 4))
        return
    if day not in (*WEEKDAYS, 7) or (day != 7 and hour not in HOURS):
        raise InvalidInput()
    await summary.set_digest(session, actor, org_id, None if day == 7 else day, hour if day != 7 else 8, clock.now())
    org = await summary.org_for_reader(session, actor, org_id)
    await callback.answer(t.plain("summary.digest_saved"))
    await show(callback, *await _organisation(session, actor, t, clock, org))


# --------------------------------------------------------------------------------- staff
async def setting_pressed(callback: CallbackQuery, callback_data: SettingCb, session: AsyncSession, actor: Actor,
                          t: Translator) -> None:
    if callback_data.name:
        org = await summary.toggle_setting(session, actor, callback_data.org, callback_data.name)
    else:
        org = await summary.org_for_reader(session, actor, callback_data.org)
        if not actor.has_role(org.id, Role.CURATOR):
            raise AccessDenied("summary.only_curators")
    await callback.answer()
    await show(callback, *settings_view(t, org))


async def staff_pressed(callback: CallbackQuery, callback_data: StaffCb, session: AsyncSession, actor: Actor,
                        state: FSMContext, t: Translator) -> None:
    org = await summary.org_for_reader(session, actor, callback_data.org)
    if not actor.has_role(org.id, *summary.READERS):
        raise AccessDenied("summary.only_curators")
    await state.set_state(StaffForm.numbers)
    await StaffNumbers(staff_org=org.id).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("summary.ask_staff"))  # type: ignore[union-attr]


async def staff_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      clock: Clock) -> None:
    parts = (message.text or "").split()
    if len(parts) != 2 or not all(is_whole(p) for p in parts):
        raise InvalidInput("summary.bad_staff")
    org_id = (await StaffNumbers.load(state)).staff_org
    await summary.set_staff(session, actor, org_id, int(parts[0]), int(parts[1]))
    await state.clear()
    org = await summary.org_for_reader(session, actor, org_id)
    text, markup = await _organisation(session, actor, t, clock, org)
    await message.answer(t("summary.staff_saved") + "\n\n" + text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="summary")
    router.message.register(summary_command, Command("summary"))
    router.callback_query.register(org_picked, OrgPickCb.filter(F.purpose == "summary"))
    router.callback_query.register(request_pressed, SummaryRequestCb.filter())
    router.callback_query.register(digest_pressed, DigestCb.filter())
    router.callback_query.register(staff_pressed, StaffCb.filter())
    router.callback_query.register(setting_pressed, SettingCb.filter())
    router.message.register(staff_typed, StaffForm.numbers, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, StaffForm.numbers, ~F.text.startswith("/"))
    return router
