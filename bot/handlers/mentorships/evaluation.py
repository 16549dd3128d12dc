"""Rating growth from the program card: a mentee's self-assessment and the mentor's rating of each mentee,
at the program's start and end (services.mentorships.evaluation)."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.mentorships.callbacks import EvalCb, EvalWhoCb, ProgramAction, ProgramCb
from bot.handlers.mentorships.views import assessment_question, assessment_targets, program_actions, program_text
from bot.handlers.render import show
from bot.i18n import Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock


async def _ask(callback: CallbackQuery, session: AsyncSession, actor: Actor, t: Translator, clock: Clock,
               mentorship_id: int, question: svc.Question | None) -> None:
    if question is not None:
        await show(callback, *assessment_question(t, question))
        return
    v = await svc.view(session, actor, mentorship_id, clock.now())
    done = t("evaluation.done")
    if v.end_date is not None and clock.now().date() < svc.end_opens(v.end_date):
        done += " " + t("evaluation.end_later", date=svc.end_opens(v.end_date).strftime("%d.%m.%Y"))
    await show(callback, done + "\n\n" + program_text(t, v), program_actions(t, v))


async def assess_pressed(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                         t: Translator, clock: Clock) -> None:
    people = await svc.targets(session, actor, callback_data.mentorship)
    await callback.answer()
    if len(people) == 1:
        question = await svc.next_question(session, actor, callback_data.mentorship, people[0][0], clock.now())
        await _ask(callback, session, actor, t, clock, callback_data.mentorship, question)
        return
    await show(callback, *assessment_targets(t, callback_data.mentorship, people))


async def mentee_picked(callback: CallbackQuery, callback_data: EvalWhoCb, session: AsyncSession, actor: Actor,
                        t: Translator, clock: Clock) -> None:
    question = await svc.next_question(session, actor, callback_data.mentorship, callback_data.mentee,
                                       clock.now())
    await callback.answer()
    await _ask(callback, session, actor, t, clock, callback_data.mentorship, question)


async def score_pressed(callback: CallbackQuery, callback_data: EvalCb, session: AsyncSession, actor: Actor,
                        t: Translator, clock: Clock) -> None:
    cb = callback_data
    question = await svc.rate(session, actor, cb.mentorship, cb.mentee, cb.stage, cb.item, cb.score, clock.now())
    await callback.answer()
    await _ask(callback, session, actor, t, clock, cb.mentorship, question)


def create_router() -> Router:
    router = Router(name="mentorships.evaluation")
    router.callback_query.register(assess_pressed, ProgramCb.filter(F.action == ProgramAction.ASSESS))
    router.callback_query.register(mentee_picked, EvalWhoCb.filter())
    router.callback_query.register(score_pressed, EvalCb.filter())
    return router
