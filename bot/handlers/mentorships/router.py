"""/pair and /program: forming pairs and groups, consents, the personalised program and its plan."""
from __future__ import annotations

from datetime import date, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.calendar import CalendarAction, CalendarCb, calendar_markup, take_day
from bot.handlers.mentorships.callbacks import (
    SKIP_NOTE,
    CompleteCb,
    ExtendCb,
    ExtensionAnswerCb,
    GroundCb,
    ItemDoneCb,
    MentorshipAnswerCb,
    PairAddCb,
    PairFormCb,
    PairKindCb,
    PairMenteeCb,
    PairMentorCb,
    ProgramAction,
    ProgramCb,
    ProgramMonthsCb,
    ReplaceMentorCb,
)
from bot.handlers.mentorships.states import (
    DeclineForm,
    Declining,
    ItemClosing,
    ItemDoneForm,
    ItemDraft,
    ItemForm,
    PairBuilding,
    PairForm,
    ProgramDraft,
    ProgramForm,
)
from bot.handlers.mentorships.views import program_actions, program_text, suggestions_view
from bot.handlers.render import from_pairs, mark_answered, show
from bot.handlers.replies import buttons_expected, text_expected, typed_date
from bot.i18n import I18n, Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.people import CURATORS
from db.models import MentoringForm, MentoringKind, MentorshipStatus, ReplacementGround, Role

PARTICIPANT_GROUNDS = {
    Role.MENTEE: (ReplacementGround.MENTEE_APPLICATION, ReplacementGround.INCOMPATIBILITY),
    Role.MENTOR: (ReplacementGround.MENTOR_APPLICATION, ReplacementGround.LONG_ABSENCE,
                  ReplacementGround.DISMISSAL_TRANSFER, ReplacementGround.INCOMPATIBILITY),
}




# ----------------------------------------------------------------------------- forming
async def pair_start(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                     t: Translator) -> None:
    orgs = actor.orgs_where(*CURATORS)
    if not orgs:
        raise AccessDenied("pairs.only_curators")
    org_id = orgs[0][0]
    mentees = await svc.unpaired_mentees(session, actor, org_id)
    await state.clear()
    if not mentees:
        await message.answer(t("pairs.no_mentees"))
        return
    await message.answer(t("pairs.pick_mentee"), reply_markup=from_pairs(
        [(m.name, PairMenteeCb(org=org_id, mentee=m.person_id).pack()) for m in mentees[:40]]))


async def pick_mentee(callback: CallbackQuery, callback_data: PairMenteeCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator) -> None:
    mentees = {m.person_id: m for m in await svc.unpaired_mentees(session, actor, callback_data.org)}
    if callback_data.mentee not in mentees:
        raise InvalidInput("pairs.mentee_taken")
    await state.set_state(PairForm.building)
    await PairBuilding(pair_org=callback_data.org, pair_mentees=[callback_data.mentee]).save(state)
    suggestions = await svc.suggest_mentors(session, actor, callback_data.org, [callback_data.mentee])
    await callback.answer()
    await show(callback, *suggestions_view(t, t("pairs.suggestions", mentee=mentees[callback_data.mentee].name),
                                       suggestions, lambda s: PairMentorCb(mentor=s.person_id).pack()))


async def _group_step(callback: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext,
                      t: Translator) -> None:
    building = await PairBuilding.load(state)
    org, chosen, mentor = building.pair_org, building.pair_mentees, building.pair_mentor
    people = {m.person_id: m for m in await svc.unpaired_mentees(session, actor, org)}
    suggestion = next((s for s in await svc.suggest_mentors(session, actor, org, chosen) if s.person_id == mentor),
                      None)
    if suggestion is None or not set(chosen) <= set(people):
        await state.clear()
        raise InvalidInput("pairs.mentor_full")
    room = min(suggestion.free, svc.MAX_GROUP) - len(chosen)
    buttons = [(f"{'✅ ' if pid in chosen else '➕ '}{ref.name}", PairAddCb(mentee=pid).pack())
               for pid, ref in people.items() if pid in chosen or room > 0]
    buttons.append((t.plain("btn.next"), PairAddCb(mentee=0).pack()))
    await show(callback, t("pairs.group_step", mentor=suggestion.name,
                           mentees=", ".join(people[p].name for p in chosen), room=max(room, 0)), from_pairs(buttons))


async def pick_mentor(callback: CallbackQuery, callback_data: PairMentorCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator) -> None:
    building = await PairBuilding.load(state)
    building.pair_mentor = callback_data.mentor
    await building.save(state)
    await callback.answer()
    await _group_step(callback, session, actor, state, t)


async def add_mentee(callback: CallbackQuery, callback_data: PairAddCb, session: AsyncSession, actor: Actor,
                     state: FSMContext, t: Translator) -> None:
    building = await PairBuilding.load(state)
    chosen = list(building.pair_mentees)
    await callback.answer()
    if callback_data.mentee == 0:
        await show(callback, t("pairs.pick_form"),
                   from_pairs([(t.plain(f"form.{f.value}"), PairFormCb(form=f).pack()) for f in MentoringForm]))
        return
    if callback_data.mentee in chosen:
        if len(chosen) > 1:
            chosen.remove(callback_data.mentee)
    elif len(chosen) < svc.MAX_GROUP:
        chosen.append(callback_data.mentee)
    building.pair_mentees = chosen
    await building.save(state)
    await _group_step(callback, session, actor, state, t)


async def pick_form(callback: CallbackQuery, callback_data: PairFormCb, state: FSMContext, t: Translator) -> None:
    building = await PairBuilding.load(state)
    building.pair_form = callback_data.form
    await building.save(state)
    group = len(building.pair_mentees) > 1
    kinds = [k for k in MentoringKind if group or k != MentoringKind.GROUP]
    await callback.answer()
    await show(callback, t("pairs.pick_kind"),
               from_pairs([(t.plain(f"kind.{k.value}"), PairKindCb(kind=k).pack()) for k in kinds]))


async def pick_kind(callback: CallbackQuery, callback_data: PairKindCb, session: AsyncSession, actor: Actor,
                    state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    building = await PairBuilding.load(state)
    if building.pair_form is None or building.pair_mentor is None:  # an old press after /cancel
        raise AccessDenied()
    await svc.propose(session, actor, org_id=building.pair_org, mentor_id=building.pair_mentor,
                      mentee_ids=building.pair_mentees, form=building.pair_form, kind=callback_data.kind,
                      now=clock.now(), i18n=i18n)
    await state.clear()
    await callback.answer()
    await show(callback, t("pairs.proposed"))


# ------------------------------------------------------------------------ consents
async def answer_proposal(callback: CallbackQuery, callback_data: MentorshipAnswerCb, session: AsyncSession,
                          actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    if callback_data.accept:
        status = await svc.respond(session, actor, callback_data.mentorship, accept=True, now=clock.now(), i18n=i18n)
        await callback.answer()
        await mark_answered(callback)
        if status == MentorshipStatus.PROPOSED:
            await callback.bot.send_message(callback.from_user.id, t("pairs.you_agreed"))  # type: ignore[union-attr]
        return
    await svc.check_pending(session, actor, callback_data.mentorship)
    await state.set_state(DeclineForm.reason)
    await Declining(mentorship=callback_data.mentorship).save(state)
    await callback.answer()
    await mark_answered(callback)
    await callback.bot.send_message(callback.from_user.id, t("pairs.ask_reason"))  # type: ignore[union-attr]


async def decline_reason(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                         i18n: I18n, clock: Clock) -> None:
    mentorship = (await Declining.load(state)).mentorship
    await svc.respond(session, actor, mentorship, accept=False, reason=message.text or "", now=clock.now(), i18n=i18n)
    await state.clear()
    await message.answer(t("pairs.you_declined"))


# --------------------------------------------------------------------------- program


async def _render(session: AsyncSession, actor: Actor, mentorship_id: int, t: Translator,
                  now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    v = await svc.view(session, actor, mentorship_id, now)
    return program_text(t, v), program_actions(t, v)


async def program_command(message: Message, session: AsyncSession, actor: Actor, t: Translator,
                          clock: Clock) -> None:
    mine = await svc.my_mentorships(session, actor)
    if not mine:
        await message.answer(t("program.none"))
    elif len(mine) == 1:
        text, markup = await _render(session, actor, mine[0][0], t, clock.now())
        await message.answer(text, reply_markup=markup)
    else:
        await message.answer(t("program.pick"), reply_markup=from_pairs(
            [(title, ProgramCb(mentorship=mid, action=ProgramAction.SHOW).pack()) for mid, title in mine]))


async def _program_view(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                        clock: Clock) -> svc.MentorshipView:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())  # checks who may see it
    await callback.answer()
    return v


async def program_show(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                       t: Translator, clock: Clock) -> None:
    v = await _program_view(callback, callback_data, session, actor, clock)
    await show(callback, program_text(t, v), program_actions(t, v))


async def program_create(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                         state: FSMContext, t: Translator, clock: Clock) -> None:
    v = await _program_view(callback, callback_data, session, actor, clock)
    await state.set_state(ProgramForm.goals)
    await ProgramDraft(mentorship=v.id).save(state)
    await callback.bot.send_message(callback.from_user.id, t("program.ask_goals"))  # type: ignore[union-attr]


async def program_item(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, clock: Clock) -> None:
    v = await _program_view(callback, callback_data, session, actor, clock)
    if v.program_id is not None:
        await state.set_state(ItemForm.activity)
        await ItemDraft(program=v.program_id, mentorship=v.id).save(state)
        await callback.bot.send_message(callback.from_user.id, t("program.ask_activity"))  # type: ignore[union-attr]


async def program_extend(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                         t: Translator, clock: Clock) -> None:
    v = await _program_view(callback, callback_data, session, actor, clock)
    if v.program_id is not None:
        await show(callback, t("program.ask_extension", end=v.end_date.strftime("%d.%m.%Y")),  # type: ignore[union-attr]
                   from_pairs([(t.plain("btn.months", n=n), ExtendCb(program=v.program_id, months=n).pack())
                               for n in (1, 3, 6)], 3))


async def program_complete(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                           t: Translator, clock: Clock) -> None:
    v = await _program_view(callback, callback_data, session, actor, clock)
    reasons = svc.ALLOWED_REASONS[v.viewer_role]  # type: ignore[index]
    await show(callback, t("program.ask_reason"),
               from_pairs([(t.plain(f"completion.{r.value}"), CompleteCb(mentorship=v.id, reason=r).pack())
                           for r in reasons]))


async def program_replace(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                          t: Translator, clock: Clock) -> None:
    """A participant asks for another mentor (ASK_REPLACE); the curator replaces (REPLACE)."""
    v = await _program_view(callback, callback_data, session, actor, clock)
    curator = callback_data.action == ProgramAction.REPLACE
    if curator != (v.viewer_role == Role.CURATOR):
        raise AccessDenied()
    grounds = list(ReplacementGround) if curator else PARTICIPANT_GROUNDS[v.viewer_role]  # type: ignore[index]
    await show(callback, t("replace.ask_ground"),
               from_pairs([(t.plain(f"ground.{g.value}"), GroundCb(mentorship=v.id, ground=g,
                                                                   replace=curator).pack()) for g in grounds]))


async def goals_typed(message: Message, state: FSMContext, t: Translator) -> None:
    goals = svc.clean_text(message.text or "")
    draft = await ProgramDraft.load(state)
    draft.goals = goals
    await draft.save(state)
    await state.set_state(ProgramForm.months)
    await message.answer(t("program.ask_months"), reply_markup=from_pairs(
        [(t.plain("btn.months", n=n), ProgramMonthsCb(months=n).pack()) for n in (3, 6, 9, 12)], 4))


async def months_picked(callback: CallbackQuery, callback_data: ProgramMonthsCb, session: AsyncSession,
                        actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    draft = await ProgramDraft.load(state)
    await svc.create_program(session, actor, draft.mentorship, goals=draft.goals, months=callback_data.months,
                             now=clock.now(), i18n=i18n)
    await state.clear()
    await callback.answer()
    await mark_answered(callback)
    text, markup = await _render(session, actor, draft.mentorship, t, clock.now())
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def activity_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                         clock: Clock) -> None:
    draft = await ItemDraft.load(state)
    draft.activity = svc.clean_text(message.text or "")
    first, last, today = await svc.program_term(session, actor, draft.program, clock.now())
    await draft.save(state)
    await state.set_state(ItemForm.due)
    await message.answer(t("program.ask_due"), reply_markup=calendar_markup(
        t, min(max(today, first), last), first=first, last=last, today=today))


async def due_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                    t: Translator) -> None:
    await _due_chosen(message, typed_date(message, "program.bad_date"), session, actor, state, t)


async def due_picked(callback: CallbackQuery, callback_data: CalendarCb, session: AsyncSession, actor: Actor,
                     state: FSMContext, t: Translator) -> None:
    due = await take_day(callback, callback_data)
    await _due_chosen(callback.message, due, session, actor, state, t)  # type: ignore[arg-type]


async def _due_chosen(message: Message, due: date, session: AsyncSession, actor: Actor, state: FSMContext,
                      t: Translator) -> None:
    draft = await ItemDraft.load(state)
    await svc.check_due(session, actor, draft.program, due)
    draft.due = due
    await draft.save(state)
    await state.set_state(ItemForm.expected)
    await message.answer(t("program.ask_expected"))


async def expected_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                         clock: Clock) -> None:
    draft = await ItemDraft.load(state)
    if draft.due is None:
        raise InvalidInput("error.stale_button")  # not this dialog's step any more
    await svc.add_item(session, actor, draft.program, activity=draft.activity, due=draft.due,
                       expected=message.text or "", now=clock.now())
    await state.clear()
    text, markup = await _render(session, actor, draft.mentorship, t, clock.now())
    await message.answer(t("program.item_added") + "\n\n" + text, reply_markup=markup)


async def item_done(callback: CallbackQuery, callback_data: ItemDoneCb, session: AsyncSession, actor: Actor,
                    state: FSMContext, t: Translator) -> None:
    mentorship = await svc.item_mentorship(session, actor, callback_data.item)
    await state.set_state(ItemDoneForm.note)
    await ItemClosing(item=callback_data.item, mentorship=mentorship).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("program.ask_note"),  # type: ignore[union-attr]
                                    reply_markup=from_pairs([(t.plain("btn.skip"), SKIP_NOTE)]))


async def _finish_item(bot: Bot, chat_id: int, note: str | None, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, clock: Clock) -> None:
    closing = await ItemClosing.load(state)
    await svc.complete_item(session, actor, closing.item, note=note, now=clock.now())
    await state.clear()
    text, markup = await _render(session, actor, closing.mentorship, t, clock.now())
    await bot.send_message(chat_id, t("program.item_completed") + "\n\n" + text, reply_markup=markup)


async def note_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     bot: Bot, clock: Clock) -> None:
    await _finish_item(bot, message.chat.id, message.text or "", session, actor, state, t, clock)


async def note_skipped(callback: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext,
                       t: Translator, bot: Bot, clock: Clock) -> None:
    await callback.answer()
    await mark_answered(callback)
    await _finish_item(bot, callback.from_user.id, None, session, actor, state, t, clock)


async def extend(callback: CallbackQuery, callback_data: ExtendCb, session: AsyncSession, actor: Actor,
                 t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.request_extension(session, actor, callback_data.program, months=callback_data.months,
                                now=clock.now(), i18n=i18n)
    await callback.answer()
    await show(callback, t("program.extension_sent"))


async def answer_extension(callback: CallbackQuery, callback_data: ExtensionAnswerCb, session: AsyncSession,
                           actor: Actor, t: Translator, i18n: I18n, clock: Clock) -> None:
    outcome = await svc.answer_extension(session, actor, callback_data.extension, accept=callback_data.accept,
                                         now=clock.now(), i18n=i18n)
    await callback.answer()
    await mark_answered(callback)
    if outcome is None:
        await callback.bot.send_message(callback.from_user.id, t("program.extension_waiting"))  # type: ignore[union-attr]


async def complete(callback: CallbackQuery, callback_data: CompleteCb, session: AsyncSession, actor: Actor,
                   t: Translator, i18n: I18n, clock: Clock) -> None:
    reason = callback_data.reason
    await svc.complete(session, actor, callback_data.mentorship, reason=reason, now=clock.now(), i18n=i18n)
    await callback.answer()
    text, _ = await _render(session, actor, callback_data.mentorship, t, clock.now())
    await show(callback, text)


async def ground_picked(callback: CallbackQuery, callback_data: GroundCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    ground = callback_data.ground
    if not callback_data.replace:
        await svc.request_replacement(session, actor, callback_data.mentorship, ground=ground, now=clock.now(),
                                      i18n=i18n)
        await callback.answer()
        await show(callback, t("replace.sent"))
        return
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    if v.viewer_role != Role.CURATOR:
        raise AccessDenied()
    suggestions = await svc.suggest_mentors(session, actor, v.organization_id, [m.person_id for m in v.mentees],
                                            exclude=[v.mentor.person_id] if v.mentor else [])
    await callback.answer()
    await show(callback, *suggestions_view(
        t, t("replace.pick_mentor"), suggestions,
        lambda s: ReplaceMentorCb(mentorship=v.id, ground=ground, mentor=s.person_id).pack()))


async def replace_mentor(callback: CallbackQuery, callback_data: ReplaceMentorCb, session: AsyncSession,
                         actor: Actor, t: Translator, i18n: I18n, clock: Clock) -> None:
    ground = callback_data.ground
    await svc.replace_mentor(session, actor, callback_data.mentorship, new_mentor_id=callback_data.mentor,
                             ground=ground, now=clock.now(), i18n=i18n)
    await callback.answer()
    await show(callback, t("replace.done"))


def create_router() -> Router:
    router = Router(name="mentorships")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(pair_start, Command("pair"))
    router.callback_query.register(pick_mentee, PairMenteeCb.filter())
    router.callback_query.register(pick_mentor, PairForm.building, PairMentorCb.filter())
    router.callback_query.register(add_mentee, PairForm.building, PairAddCb.filter())
    router.callback_query.register(pick_form, PairForm.building, PairFormCb.filter())
    router.callback_query.register(pick_kind, PairForm.building, PairKindCb.filter())
    router.callback_query.register(answer_proposal, MentorshipAnswerCb.filter())
    router.message.register(decline_reason, DeclineForm.reason, *typed)
    router.message.register(program_command, Command("program"))
    for pressed, actions in ((program_show, {ProgramAction.SHOW}), (program_create, {ProgramAction.CREATE}),
                             (program_item, {ProgramAction.ITEM}), (program_extend, {ProgramAction.EXTEND}),
                             (program_complete, {ProgramAction.COMPLETE}),
                             (program_replace, {ProgramAction.ASK_REPLACE, ProgramAction.REPLACE})):
        router.callback_query.register(pressed, ProgramCb.filter(F.action.in_(actions)))
    router.message.register(goals_typed, ProgramForm.goals, *typed)
    router.callback_query.register(months_picked, ProgramForm.months, ProgramMonthsCb.filter())
    router.message.register(activity_typed, ItemForm.activity, *typed)
    router.message.register(due_typed, ItemForm.due, *typed)
    router.callback_query.register(due_picked, ItemForm.due, CalendarCb.filter(F.action == CalendarAction.PICK))
    router.message.register(expected_typed, ItemForm.expected, *typed)
    router.callback_query.register(item_done, ItemDoneCb.filter())
    router.message.register(note_typed, ItemDoneForm.note, *typed)
    router.callback_query.register(note_skipped, ItemDoneForm.note, F.data == SKIP_NOTE)
    router.callback_query.register(extend, ExtendCb.filter())
    router.callback_query.register(answer_extension, ExtensionAnswerCb.filter())
    router.callback_query.register(complete, CompleteCb.filter())
    router.callback_query.register(ground_picked, GroundCb.filter())
    router.callback_query.register(replace_mentor, ReplaceMentorCb.filter())
    router.message.register(text_expected, DeclineForm.reason, ~F.text.startswith("/"))
    router.message.register(text_expected, ProgramForm.goals, ~F.text.startswith("/"))
    router.message.register(text_expected, ItemForm.activity, ~F.text.startswith("/"))
    router.message.register(text_expected, ItemForm.due, ~F.text.startswith("/"))
    router.message.register(text_expected, ItemForm.expected, ~F.text.startswith("/"))
    router.message.register(text_expected, ItemDoneForm.note, ~F.text.startswith("/"))
    router.message.register(buttons_expected, PairForm.building, ~F.text.startswith("/"))
    router.message.register(buttons_expected, ProgramForm.months, ~F.text.startswith("/"))
    return router
