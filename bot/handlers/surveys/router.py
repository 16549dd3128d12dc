"""/surveys: anonymous questionnaires — the curator builds and launches them and reads the results;
everyone invited answers one question a message."""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reports
from bot.handlers.calendar import CalendarAction, CalendarCb, calendar_markup, take_day
from bot.handlers.render import from_pairs, shorten, show
from bot.handlers.replies import buttons_expected, text_expected, typed_date
from bot.handlers.surveys.callbacks import (
    BuildAction,
    SurveyAction,
    SurveyAnswerCb,
    SurveyAudienceCb,
    SurveyBuildCb,
    SurveyCb,
    SurveyDeadlineCb,
    SurveyKindCb,
    SurveyNewCb,
    SurveyRequiredCb,
)
from bot.handlers.surveys.states import (
    AnsweringSurvey,
    Building,
    Draft,
    Question,
    SurveyAnswering,
    SurveyBuild,
    SurveyProgress,
)
from bot.handlers.surveys.views import (
    answer_text,
    answers_summary,
    audiences,
    card_view,
    question_markup,
    question_text,
    results_text,
)
from bot.i18n import I18n, Translator
from bot.services import surveys as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_date
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.mentorships import local_today
from bot.services.message_split import split_message
from bot.services.numbers import is_whole
from bot.services.organizations import timezone_of
from db.models import QuestionKind

DEADLINE_CHOICES = (3, 7, 14, 30)
CUSTOM_KINDS = (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.MULTI, QuestionKind.TEXT)


# ------------------------------------------------------------------------------ lists
async def surveys_command(message: Message, session: AsyncSession, actor: Actor, t: Translator, i18n: I18n,
                          clock: Clock) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    lines: list[str] = []
    buttons: list[tuple[str, str]] = []
    mine = await svc.open_for(session, actor, clock.now(), i18n)
    if mine:
        lines.append(t("survey.for_you"))
        buttons += [("📝 " + t.plain("survey.answer_until", title=title, date=local_date(deadline, zone)),
                     SurveyCb(survey=sid, action=SurveyAction.START).pack()) for sid, title, deadline, zone in mine]
    if actor.orgs_where(*svc.READERS):
        managed = await svc.managed_list(session, actor)
        lines.append(t("survey.list") if managed else t("survey.none"))
        buttons += [(f"{t.plain(f'survey_status.{status.value}')} · {title}", SurveyCb(survey=sid, action=SurveyAction.SHOW).pack())
                    for sid, title, status in managed]
        if actor.orgs_where(*svc.MANAGERS):
            buttons.append((t.plain("btn.survey_new"), SurveyCb(survey=0, action=SurveyAction.NEW).pack()))
    if not lines:
        lines.append(t("survey.nothing_for_you"))
    await message.answer("\n\n".join(lines), reply_markup=from_pairs(buttons) if buttons else None)


async def start_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                        state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    await _start_answering(callback, session, actor, state, t, i18n, clock, callback_data.survey)


async def new_pressed(callback: CallbackQuery, actor: Actor, t: Translator) -> None:
    if not actor.orgs_where(*svc.MANAGERS):
        raise AccessDenied("survey.only_curators")
    await callback.answer()
    kb = from_pairs([(t.plain(f"survey.template.{k}"), SurveyNewCb(kind=k).pack()) for k in svc.TEMPLATES]
                    + [(t.plain("btn.survey_custom"), SurveyNewCb(kind="custom").pack())])
    await callback.bot.send_message(callback.from_user.id, t("survey.ask_kind"), reply_markup=kb)  # type: ignore[union-attr]


async def results_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                          t: Translator, i18n: I18n) -> None:
    sid, chat = callback_data.survey, callback.from_user.id
    results = await svc.results(session, actor, sid, i18n)
    await callback.answer()
    for part in split_message(results_text(t, results)):
        await callback.bot.send_message(chat, part)  # type: ignore[union-attr]
    png = await reports.survey_chart(results, t)
    if png is not None:
        await callback.bot.send_photo(chat, BufferedInputFile(png, f"survey-{sid}.png"),  # type: ignore[union-attr]
                                      caption=t("survey.chart_caption", title=shorten(results.title, 200)))


async def xlsx_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                       t: Translator, i18n: I18n) -> None:
    sid = callback_data.survey
    results = await svc.results(session, actor, sid, i18n)
    named = await svc.named_answers(session, actor, sid, i18n) if not results.anonymous else None
    data = await reports.survey_workbook(results, t, named)
    await callback.answer()
    await callback.bot.send_document(callback.from_user.id,  # type: ignore[union-attr]
                                     BufferedInputFile(data, f"survey-{sid}.xlsx"),
                                     caption=t("survey.xlsx_caption", title=shorten(results.title, 200)))


async def launch_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                         t: Translator, i18n: I18n, clock: Clock) -> None:
    invited = await svc.launch(session, actor, callback_data.survey, clock.now(), i18n)
    await callback.answer(t.plain("survey.launched", count=invited), show_alert=True)
    await show(callback, *card_view(t, await svc.card(session, actor, callback_data.survey, i18n)))


async def anonymity_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                            t: Translator, i18n: I18n) -> None:
    current = await svc.card(session, actor, callback_data.survey, i18n)
    await svc.set_anonymous(session, actor, callback_data.survey, not current.anonymous)
    await callback.answer()
    await show(callback, *card_view(t, await svc.card(session, actor, callback_data.survey, i18n)))


async def delete_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                         t: Translator) -> None:
    await svc.delete_draft(session, actor, callback_data.survey)
    await callback.answer()
    await show(callback, t("survey.deleted"))


async def close_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.close(session, actor, callback_data.survey, clock.now(), i18n)
    await callback.answer(t.plain("survey.closed_you"))
    await show(callback, *card_view(t, await svc.card(session, actor, callback_data.survey, i18n)))


async def show_pressed(callback: CallbackQuery, callback_data: SurveyCb, session: AsyncSession, actor: Actor,
                       t: Translator, i18n: I18n) -> None:
    card = await svc.card(session, actor, callback_data.survey, i18n)  # before the answer: a refusal is still said
    await callback.answer()
    await show(callback, *card_view(t, card))


# --------------------------------------------------------------------------- results


# ------------------------------------------------------------------------- building
async def _draft(state: FSMContext) -> Draft:
    return (await Building.load(state)).build


async def _put(state: FSMContext, **values: Any) -> None:
    await Building(build=(await _draft(state)).model_copy(update=values)).save(state)


async def new_picked(callback: CallbackQuery, callback_data: SurveyNewCb, actor: Actor, state: FSMContext,
                     t: Translator) -> None:
    if not actor.orgs_where(*svc.MANAGERS):
        raise AccessDenied("survey.only_curators")
    if callback_data.kind not in (*svc.TEMPLATES, "custom"):
        raise InvalidInput()
    await callback.answer()
    await show(callback, t("survey.ask_kind") + "\n→ " + t(
        f"survey.template.{callback_data.kind}" if callback_data.kind in svc.TEMPLATES else "btn.survey_custom"))
    if callback_data.kind in svc.TEMPLATES:
        await state.set_state(SurveyBuild.audience)
        await Building(build=Draft(template=callback_data.kind)).save(state)
        await _ask_audience(callback.message, t, callback_data.kind)  # type: ignore[arg-type]
    elif callback_data.kind == "custom":
        await state.set_state(SurveyBuild.title)
        await Building().save(state)
        await callback.message.answer(t("survey.ask_title"))  # type: ignore[union-attr]


async def _ask_audience(message: Message, t: Translator, template: str | None) -> None:
    await message.answer(t("survey.ask_audience"), reply_markup=from_pairs(
        [(t.plain(f"survey.audience.{value}"), SurveyAudienceCb(value=value).pack()) for value in audiences(template)]))


async def title_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _put(state, title=svc.clean_title(message.text or ""))
    await _ask_kind(message, state, t)


async def _ask_kind(message: Message, state: FSMContext, t: Translator) -> None:
    number = len((await _draft(state)).questions) + 1
    await state.set_state(SurveyBuild.kind)
    await message.answer(t("survey.ask_question_kind", number=number), reply_markup=from_pairs(
        [(t.plain(f"question_kind.{k.value}"), SurveyKindCb(kind=k.value).pack()) for k in CUSTOM_KINDS]))


async def kind_picked(callback: CallbackQuery, callback_data: SurveyKindCb, state: FSMContext, t: Translator) -> None:
    if callback_data.kind not in {k.value for k in CUSTOM_KINDS}:
        raise InvalidInput()
    await callback.answer()
    await show(callback, t("survey.kind_chosen", kind=t.plain(f"question_kind.{callback_data.kind}")))
    await _put(state, pending=Question(kind=QuestionKind(callback_data.kind)))
    await state.set_state(SurveyBuild.question)
    await callback.message.answer(t("survey.ask_question_text"))  # type: ignore[union-attr]


async def question_typed(message: Message, state: FSMContext, t: Translator) -> None:
    draft = await _draft(state)
    if draft.pending is None:
        raise InvalidInput("error.stale_button")
    pending = draft.pending.model_copy(update={"text": svc.clean_question(message.text or "")})
    await _put(state, pending=pending)
    if pending.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        await state.set_state(SurveyBuild.options)
        await message.answer(t("survey.ask_options", min=svc.OPTIONS_MIN, max=svc.OPTIONS_MAX))
    else:
        await _ask_required(message, state, t)


async def options_typed(message: Message, state: FSMContext, t: Translator) -> None:
    draft = await _draft(state)
    if draft.pending is None:
        raise InvalidInput("error.stale_button")
    await _put(state, pending=draft.pending.model_copy(update={"options": svc.parse_options(message.text or "")}))
    await _ask_required(message, state, t)


async def _ask_required(message: Message, state: FSMContext, t: Translator) -> None:
    await state.set_state(SurveyBuild.required)
    await message.answer(t("survey.ask_required"), reply_markup=from_pairs(
        [(t.plain("btn.survey_required"), SurveyRequiredCb(required=True).pack()),
         (t.plain("btn.survey_optional"), SurveyRequiredCb(required=False).pack())], width=2))


async def required_picked(callback: CallbackQuery, callback_data: SurveyRequiredCb, state: FSMContext,
                          t: Translator) -> None:
    draft = await _draft(state)
    pending = draft.pending
    if pending is None or not pending.text:
        raise InvalidInput("error.stale_button")
    questions = [*draft.questions, pending.model_copy(update={"required": callback_data.required})]
    await _put(state, questions=questions, pending=None)
    await state.set_state(SurveyBuild.more)
    await callback.answer()
    await show(callback, t("survey.question_added", number=len(questions), text=pending.text))
    buttons = [(t.plain("btn.survey_done_questions"), SurveyBuildCb(action=BuildAction.DONE).pack())]
    if len(questions) < svc.QUESTIONS_MAX:
        buttons.insert(0, (t.plain("btn.survey_more"), SurveyBuildCb(action=BuildAction.MORE).pack()))
    await callback.message.answer(t("survey.more_or_done", count=len(questions)),  # type: ignore[union-attr]
                                  reply_markup=from_pairs(buttons, width=2))


async def build_step(callback: CallbackQuery, callback_data: SurveyBuildCb, state: FSMContext, t: Translator) -> None:
    draft = await _draft(state)
    await callback.answer()
    await show(callback, t("survey.more_or_done", count=len(draft.questions)))
    if callback_data.action == BuildAction.MORE and len(draft.questions) < svc.QUESTIONS_MAX:
        await _ask_kind(callback.message, state, t)  # type: ignore[arg-type]
    else:
        await state.set_state(SurveyBuild.audience)
        await _ask_audience(callback.message, t, None)  # type: ignore[arg-type]


async def audience_picked(callback: CallbackQuery, callback_data: SurveyAudienceCb, session: AsyncSession,
                          actor: Actor, state: FSMContext, t: Translator) -> None:
    draft = await _draft(state)
    value = callback_data.value
    if value == "programs":
        programs = await svc.programs_for_audience(session, actor)
        if not programs:
            raise InvalidInput("survey.no_programs")
        await callback.answer()
        await show(callback, t("survey.ask_program"), from_pairs(
            [(label, SurveyAudienceCb(value=f"program.{mid}").pack()) for mid, label in programs]))
        return
    if value not in audiences(draft.template) and not value.startswith("program."):
        raise AccessDenied()
    await _put(state, audience=value)
    await state.set_state(SurveyBuild.deadline)
    await callback.answer()
    await show(callback, t("survey.audience_chosen"))
    await callback.message.answer(t("survey.ask_deadline"), reply_markup=from_pairs(  # type: ignore[union-attr]
        [(t.plain(f"survey.deadline_days.d{days}"), SurveyDeadlineCb(days=days).pack()) for days in DEADLINE_CHOICES]
        + [(t.plain("btn.other_day"), SurveyDeadlineCb(days=0).pack())], width=2))


async def _zone(session: AsyncSession, actor: Actor) -> str:
    return await timezone_of(session, actor.first_org_where(*svc.MANAGERS, denied="survey.only_curators"))


async def _create(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                  i18n: I18n, clock: Clock, deadline: datetime) -> None:
    draft = await _draft(state)
    if draft.audience is None:
        raise InvalidInput("error.stale_button")
    questions = [svc.QuestionDraft(q.kind, q.text, list(q.options), q.required) for q in draft.questions]
    sid = await svc.create(session, actor, audience=draft.audience, deadline=deadline, now=clock.now(), i18n=i18n,
                           template=draft.template, title=draft.title, questions=questions or None)
    await state.clear()
    text, markup = card_view(t, await svc.card(session, actor, sid, i18n))
    await message.answer(t("survey.draft_ready") + "\n\n" + text, reply_markup=markup)


async def deadline_picked(callback: CallbackQuery, callback_data: SurveyDeadlineCb, session: AsyncSession,
                          actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    zone = await _zone(session, actor)
    if callback_data.days == 0:  # another day: the calendar, from tomorrow on
        today = local_today(clock.now(), zone)
        await callback.answer()
        await callback.message.answer(t("survey.pick_deadline"), reply_markup=calendar_markup(  # type: ignore[union-attr]
            t, today, first=today + timedelta(days=1), last=today + timedelta(days=366), today=today))
        return
    if callback_data.days not in DEADLINE_CHOICES:
        raise InvalidInput()
    day = (clock.now().astimezone(ZoneInfo(zone)) + timedelta(days=callback_data.days)).date()
    await callback.answer()
    await show(callback, t("survey.deadline_chosen", date=day.strftime("%d.%m.%Y")))
    await _create(callback.message, session, actor, state, t, i18n, clock,  # type: ignore[arg-type]
                  svc.deadline_for(day, zone))


async def deadline_day_picked(callback: CallbackQuery, callback_data: CalendarCb, session: AsyncSession,
                              actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    day = await take_day(callback, callback_data)
    await _create(callback.message, session, actor, state, t, i18n, clock,  # type: ignore[arg-type]
                  svc.deadline_for(day, await _zone(session, actor)))


async def deadline_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                         i18n: I18n, clock: Clock) -> None:
    day = typed_date(message, "survey.bad_date")
    await _create(message, session, actor, state, t, i18n, clock, svc.deadline_for(day, await _zone(session, actor)))


# ------------------------------------------------------------------------- answering
async def _start_answering(callback: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext,
                           t: Translator, i18n: I18n, clock: Clock, sid: int) -> None:
    form = await svc.questionnaire(session, actor, sid, clock.now(), i18n)
    await state.set_state(SurveyAnswering.question)
    await AnsweringSurvey(sv=sid).save(state, replace=True)
    await SurveyProgress().save(state)  # in memory only: an answer then changes nothing stored
    await callback.answer()
    bot, chat = callback.bot, callback.from_user.id
    await bot.send_message(chat, t(  # type: ignore[union-attr]
        "survey.intro", title=form.title, count=len(form.questions),
        anonymity=t.plain("survey.anonymous_note" if form.anonymous else "survey.named_note")))
    await _send_question(bot, chat, t, form, 0, [])


async def _send_question(bot: Bot, chat: int, t: Translator, form: svc.Questionnaire, index: int,
                         picked: list[int]) -> None:
    await bot.send_message(chat, question_text(t, form, index), reply_markup=question_markup(t, form, index, picked))


async def _advance(bot: Bot, chat: int, state: FSMContext, t: Translator, form: svc.Questionnaire, index: int,
                   answers: dict[str, Any]) -> None:
    """Go to question `index` (or the summary past the last one)."""
    progress = SurveyProgress(question=index, answers=answers)
    if index >= len(form.questions):
        await progress.save(state)
        await state.set_state(SurveyAnswering.confirm)
        text, markup = answers_summary(t, form, answers)
        await bot.send_message(chat, text, reply_markup=markup)
        return
    await state.set_state(SurveyAnswering.question)
    picked = answers.get(str(form.questions[index].id)) if form.questions[index].kind == QuestionKind.MULTI else None
    progress.picked = list(picked or [])
    await progress.save(state)
    await _send_question(bot, chat, t, form, index, progress.picked)


async def _close_question(callback: CallbackQuery, t: Translator, form: svc.Questionnaire, index: int,
                          value: Any) -> None:
    """The answered question keeps its text and shows the answer; its buttons go."""
    if index < len(form.questions):
        text = question_text(t, form, index) + "\n→ <b>" + html.escape(
            shorten(answer_text(t, form.questions[index], value), 300), quote=False) + "</b>"
        await show(callback, text)
    elif callback.message is not None:
        await callback.message.edit_reply_markup(reply_markup=None)  # type: ignore[union-attr]


async def answer_pressed(callback: CallbackQuery, callback_data: SurveyAnswerCb, session: AsyncSession, actor: Actor,
                         state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    answering = await AnsweringSurvey.load(state)
    if answering.sv != callback_data.survey:
        raise InvalidInput("error.stale_button")
    progress = await _progress(callback.bot, callback.from_user.id, state, t, answering)
    if progress is None:
        await callback.answer()
        return
    if progress.question != callback_data.q:
        raise InvalidInput("error.stale_button")
    form = await svc.questionnaire(session, actor, callback_data.survey, clock.now(), i18n)
    index, v = callback_data.q, callback_data.v
    bot, chat = callback.bot, callback.from_user.id
    answers: dict[str, Any] = dict(progress.answers)
    if index >= len(form.questions):  # the summary
        if v == "send":
            await svc.submit(session, actor, form.survey_id, {int(k): val for k, val in answers.items()}, clock.now())
            await state.clear()
            await callback.answer()
            await _close_question(callback, t, form, index, None)
            await bot.send_message(chat, t("survey.thanks"))
        elif v == "b":
            await callback.answer()
            await _close_question(callback, t, form, index, None)
            await _advance(bot, chat, state, t, form, index - 1, answers)
        else:
            raise InvalidInput("error.stale_button")
        return
    q = form.questions[index]
    if v == "b" and index > 0:
        await callback.answer()
        await _close_question(callback, t, form, index, answers.get(str(q.id)))
        await _advance(bot, chat, state, t, form, index - 1, answers)
        return
    if v == "s" and not q.required:
        answers.pop(str(q.id), None)
        value = None
    elif q.kind == QuestionKind.MULTI and v.startswith("t") and is_whole(v[1:]):
        picked = set(progress.picked)
        picked ^= {int(v[1:])}
        if not all(0 <= i < len(q.options) for i in picked):
            raise InvalidInput("survey.bad_answer")
        progress.picked = sorted(picked)
        await progress.save(state)
        await callback.answer()
        await show(callback, question_text(t, form, index), question_markup(t, form, index, sorted(picked)))
        return
    elif q.kind == QuestionKind.MULTI and v == "d":
        if not progress.picked:
            raise InvalidInput("survey.pick_one")
        value = svc.check_answer(q, list(progress.picked))
    elif q.kind == QuestionKind.TEXT:
        raise InvalidInput("survey.type_answer")
    else:
        value = svc.check_answer(q, _button_value(q, v))
    if value is not None:
        answers[str(q.id)] = value
    await callback.answer()
    await _close_question(callback, t, form, index, value)
    await _advance(bot, chat, state, t, form, index + 1, answers)


async def _progress(bot: Bot | None, chat: int, state: FSMContext, t: Translator,
                    answering: AnsweringSurvey) -> SurveyProgress | None:
    """Answers in progress live in one process's memory; after a restart (or on another worker) they
    are gone (None), and the survey starts again rather than going on with holes."""
    progress = await SurveyProgress.load(state)
    if progress is not None:
        return progress
    await state.clear()
    kb = from_pairs([(t.plain("btn.survey_start"), SurveyCb(survey=answering.sv, action=SurveyAction.START).pack())])
    await bot.send_message(chat, t("survey.lost"), reply_markup=kb)  # type: ignore[union-attr]
    return None


def _button_value(q: svc.QuestionView, v: str) -> Any:
    if q.kind == QuestionKind.SCALE and is_whole(v):
        return int(v)
    if q.kind == QuestionKind.YES_NO and v in ("y", "n"):
        return v == "y"
    if q.kind == QuestionKind.SINGLE and v.startswith("o") and is_whole(v[1:]):
        return int(v[1:])
    raise InvalidInput("survey.bad_answer")


async def answer_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                       i18n: I18n, clock: Clock) -> None:
    answering = await AnsweringSurvey.load(state)
    progress = await _progress(message.bot, message.chat.id, state, t, answering)
    if progress is None:
        return
    form = await svc.questionnaire(session, actor, answering.sv, clock.now(), i18n)
    index = progress.question
    q = form.questions[index]
    if q.kind != QuestionKind.TEXT:
        raise InvalidInput("survey.use_buttons")
    answers = {**progress.answers, str(q.id): svc.clean_answer(message.text or "")}
    await _advance(message.bot, message.chat.id, state, t, form, index + 1, answers)  # type: ignore[arg-type]


async def answer_not_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                           clock: Clock) -> None:
    """A sticker, a photo, … while a question waits: say what the question wants."""
    answering = await AnsweringSurvey.load(state)
    progress = await _progress(message.bot, message.chat.id, state, t, answering)
    if progress is None:
        return
    form = await svc.questionnaire(session, actor, answering.sv, clock.now())
    if form.questions[progress.question].kind == QuestionKind.TEXT:
        await text_expected(message, t)
    else:
        await message.answer(t("survey.use_buttons"))


async def confirm_typed(message: Message, t: Translator) -> None:
    await message.answer(t("survey.confirm_with_buttons"))


def create_router() -> Router:
    router = Router(name="surveys")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(surveys_command, Command("surveys"))
    for pressed, act in ((start_pressed, SurveyAction.START), (new_pressed, SurveyAction.NEW),
                         (results_pressed, SurveyAction.RESULTS), (xlsx_pressed, SurveyAction.XLSX),
                         (launch_pressed, SurveyAction.LAUNCH), (anonymity_pressed, SurveyAction.ANON),
                         (delete_pressed, SurveyAction.DELETE), (close_pressed, SurveyAction.CLOSE),
                         (show_pressed, SurveyAction.SHOW)):
        router.callback_query.register(pressed, SurveyCb.filter(F.action == act))
    router.callback_query.register(new_picked, SurveyNewCb.filter())
    router.callback_query.register(kind_picked, SurveyBuild.kind, SurveyKindCb.filter())
    router.callback_query.register(required_picked, SurveyBuild.required, SurveyRequiredCb.filter())
    router.callback_query.register(build_step, SurveyBuild.more, SurveyBuildCb.filter())
    router.callback_query.register(audience_picked, SurveyBuild.audience, SurveyAudienceCb.filter())
    router.callback_query.register(deadline_picked, SurveyBuild.deadline, SurveyDeadlineCb.filter())
    router.callback_query.register(deadline_day_picked, SurveyBuild.deadline,
                                   CalendarCb.filter(F.action == CalendarAction.PICK))
    router.callback_query.register(answer_pressed, SurveyAnswerCb.filter())
    router.message.register(title_typed, SurveyBuild.title, *typed)
    router.message.register(question_typed, SurveyBuild.question, *typed)
    router.message.register(options_typed, SurveyBuild.options, *typed)
    router.message.register(deadline_typed, SurveyBuild.deadline, *typed)
    router.message.register(answer_typed, SurveyAnswering.question, *typed)
    router.message.register(answer_not_typed, SurveyAnswering.question, ~F.text.startswith("/"))
    router.message.register(confirm_typed, SurveyAnswering.confirm, ~F.text.startswith("/"))
    for step in (SurveyBuild.title, SurveyBuild.question, SurveyBuild.options, SurveyBuild.deadline):
        router.message.register(text_expected, step, ~F.text.startswith("/"))
    for step in (SurveyBuild.kind, SurveyBuild.required, SurveyBuild.more, SurveyBuild.audience):
        router.message.register(buttons_expected, step, ~F.text.startswith("/"))
    return router

