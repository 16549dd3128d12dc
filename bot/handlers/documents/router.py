"""/documents: the DOCX files a school prints, signs and files: a pair's personalised program and the mentor's
journal, the orders, the road map, the curator's report, the mentor's portfolio (services.documents)."""
from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.documents.callbacks import (
    PERIODIC,
    DocumentCb,
    DocumentKind,
    MentorDocument,
    MentorDocumentCb,
    MentorsPageCb,
    PeriodChoice,
    RoadmapFieldCb,
    RoadmapStageCb,
)
from bot.handlers.documents.states import (
    PeriodDraft,
    PeriodForm,
    ReportDraft,
    ReportForm,
    RoadmapEditing,
    RoadmapForm,
)
from bot.handlers.documents.views import (
    conclusions_prompt,
    documents_menu,
    mentors_view,
    period_menu,
    roadmap_view,
    stage_menu,
)
from bot.handlers.render import show
from bot.handlers.replies import text_expected
from bot.i18n import I18n, Translator
from bot.runtime.backbone import NotificationBackbone
from bot.services import coordinators, documents, mentorships
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import AccessDenied
from bot.settings import Settings
from db.models import Role

# the documents of a period: the service and the caption
OF_PERIOD = {DocumentKind.JOURNAL: (documents.journal, "documents.journal_caption"),
             DocumentKind.PAIRS_ORDER: (documents.pairs_order, "documents.order_caption"),
             DocumentKind.REPLACEMENT_ORDER: (documents.replacement_order, "documents.replacements_caption")}
PERIODS = {PeriodChoice.YEAR: documents.Period.YEAR, PeriodChoice.LAST_YEAR: documents.Period.LAST_YEAR}


async def send(backbone: NotificationBackbone | None, bot: Bot, chat_id: int, doc: documents.Document,
               caption: str) -> None:
    """The DOCX, and its PDF where LibreOffice made one, each within the outbox's limits (Telegram's 30 a
    second, 1 a second a chat)."""
    for content, filename, text in ((doc.content, doc.filename, caption), (doc.pdf, doc.pdf_filename, None)):
        if content is None:
            continue
        if backbone is not None:
            await backbone.sender.throttle(chat_id)
        await bot.send_document(chat_id, BufferedInputFile(content, filename), caption=text)


async def deliver(callback: CallbackQuery, backbone: NotificationBackbone | None, doc: documents.Document,
                  t: Translator, caption_key: str) -> None:
    """A pressed button's document: the button answered at once, the file sent after."""
    await callback.answer(t.plain("documents.preparing"))
    bot: Bot = callback.bot  # type: ignore[assignment]
    await send(backbone, bot, callback.from_user.id, doc, t(caption_key, period=doc.period))


async def documents_command(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    pairs = await mentorships.my_mentorships(session, actor) if actor.person_id is not None else []
    own = [(org_id, actor.person_id) for org_id in documents.own_portfolios(actor)]
    text, markup = documents_menu(t, pairs, actor.orgs_where(*documents.READERS), own,  # type: ignore[arg-type]
                                  region=coordinators.is_coordinator(actor))
    await message.answer(text, reply_markup=markup)


async def mentors_pressed(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession, actor: Actor,
                          t: Translator) -> None:
    page = await documents.mentors_page(session, actor, callback_data.target, 0)
    await callback.answer()
    text, markup = mentors_view(t, page)
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def mentors_paged(callback: CallbackQuery, callback_data: MentorsPageCb, session: AsyncSession, actor: Actor,
                        t: Translator) -> None:
    page = await documents.mentors_page(session, actor, callback_data.org, callback_data.page)
    await callback.answer()
    await show(callback, *mentors_view(t, page))


async def program_pressed(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession, actor: Actor,
                          t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                          backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.program(session, actor, callback_data.target, clock.now(), i18n,
                                  settings.document_templates_dir)
    await deliver(callback, backbone, doc, t, "documents.program_caption")


async def period_asked(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    await documents.check_period_reader(session, actor, callback_data.target,
                                        of_pair=callback_data.kind == DocumentKind.JOURNAL)
    await callback.answer()
    text, markup = period_menu(t, callback_data.kind, callback_data.target)
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def period_pressed(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession, actor: Actor,
                         state: FSMContext, t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                         backbone: NotificationBackbone | None = None) -> None:
    make, caption = OF_PERIOD[callback_data.kind]
    doc = await make(session, actor, callback_data.target, clock.now(), i18n, settings.document_templates_dir,
                     PERIODS[callback_data.period])
    await state.clear()
    await deliver(callback, backbone, doc, t, caption)


async def period_to_type(callback: CallbackQuery, callback_data: DocumentCb, state: FSMContext,
                         t: Translator) -> None:
    await state.set_state(PeriodForm.span)
    await PeriodDraft(kind=callback_data.kind.value, target=callback_data.target).save(state, replace=True)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("documents.ask_period"))  # type: ignore[union-attr]


async def period_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot,
                       t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                       backbone: NotificationBackbone | None = None) -> None:
    draft = await PeriodDraft.load(state)
    span = documents.typed_span(message.text or "")
    kind = DocumentKind(draft.kind) if draft.kind in set(PERIODIC) else DocumentKind.PAIRS_ORDER
    make, caption = OF_PERIOD[kind]
    doc = await make(session, actor, draft.target, clock.now(), i18n, settings.document_templates_dir, span)
    await state.clear()
    await send(backbone, bot, message.chat.id, doc, t(caption, period=doc.period))


async def report_pressed(callback: CallbackQuery, callback_data: DocumentCb, actor: Actor, state: FSMContext,
                         t: Translator) -> None:
    if not actor.has_role(callback_data.target, *documents.READERS):
        raise AccessDenied("documents.only_curators")
    await state.set_state(ReportForm.conclusions)
    await ReportDraft(org=callback_data.target).save(state)
    await callback.answer()
    text, markup = conclusions_prompt(t, callback_data.target)
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def conclusions_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot,
                            t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                            backbone: NotificationBackbone | None = None) -> None:
    draft = await ReportDraft.load(state)
    doc = await documents.annual_report(session, actor, draft.org, clock.now(), i18n, settings.document_templates_dir,
                                        message.text or "")
    await state.clear()
    await send(backbone, bot, message.chat.id, doc, t("documents.report_caption", period=doc.period))


async def report_without_conclusions(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession,
                                     actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock,
                                     settings: Settings, backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.annual_report(session, actor, callback_data.target, clock.now(), i18n,
                                        settings.document_templates_dir)
    await state.clear()
    await deliver(callback, backbone, doc, t, "documents.report_caption")


async def portfolio_pressed(callback: CallbackQuery, callback_data: MentorDocumentCb, session: AsyncSession,
                            actor: Actor, t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                            backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.portfolio(session, actor, callback_data.org, callback_data.person, clock.now(), i18n,
                                    settings.document_templates_dir)
    await deliver(callback, backbone, doc, t, "documents.portfolio_caption")


async def thanks_pressed(callback: CallbackQuery, callback_data: MentorDocumentCb, session: AsyncSession,
                         actor: Actor, t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                         backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.letter_of_thanks(session, actor, callback_data.org, callback_data.person, clock.now(), i18n,
                                           settings.document_templates_dir)
    await deliver(callback, backbone, doc, t, "documents.thanks_caption")


async def region_pressed(callback: CallbackQuery, session: AsyncSession, actor: Actor, t: Translator, i18n: I18n,
                         clock: Clock, settings: Settings, backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.region_report(session, actor, clock.now(), i18n, settings.document_templates_dir)
    await deliver(callback, backbone, doc, t, "documents.region_caption")


async def roadmap_pressed(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession, actor: Actor,
                          state: FSMContext, t: Translator, clock: Clock) -> None:
    plan = await documents.roadmap(session, actor, callback_data.target, clock.now(), t)
    await state.clear()
    await callback.answer()
    await show(callback, *roadmap_view(t, plan, actor.has_role(plan.organization_id, Role.CURATOR)))


async def roadmap_docx_pressed(callback: CallbackQuery, callback_data: DocumentCb, session: AsyncSession,
                               actor: Actor, t: Translator, i18n: I18n, clock: Clock, settings: Settings,
                               backbone: NotificationBackbone | None = None) -> None:
    doc = await documents.roadmap_docx(session, actor, callback_data.target, clock.now(), i18n,
                                       settings.document_templates_dir)
    await deliver(callback, backbone, doc, t, "documents.roadmap_caption")


async def stage_pressed(callback: CallbackQuery, callback_data: RoadmapStageCb, session: AsyncSession, actor: Actor,
                        t: Translator, clock: Clock) -> None:
    plan = await documents.roadmap(session, actor, callback_data.org, clock.now(), t)
    if not actor.has_role(plan.organization_id, Role.CURATOR) or not 1 <= callback_data.stage <= len(plan.stages):
        raise AccessDenied("roadmap.only_curators")
    await callback.answer()
    await show(callback, *stage_menu(t, plan, callback_data.stage))


async def field_pressed(callback: CallbackQuery, callback_data: RoadmapFieldCb, actor: Actor, state: FSMContext,
                        t: Translator) -> None:
    if not actor.has_role(callback_data.org, Role.CURATOR):
        raise AccessDenied("roadmap.only_curators")
    await state.set_state(RoadmapForm.value)
    await RoadmapEditing(org=callback_data.org, stage=callback_data.stage, field=callback_data.field.value).save(state)
    await callback.answer()
    ask = t(f"roadmap.ask_{callback_data.field.value}")
    await callback.bot.send_message(callback.from_user.id, ask)  # type: ignore[union-attr]


async def value_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      clock: Clock) -> None:
    editing = await RoadmapEditing.load(state)
    await documents.edit_stage(session, actor, editing.org, editing.stage, editing.field, message.text or "",
                               clock.now())
    await state.clear()
    plan = await documents.roadmap(session, actor, editing.org, clock.now(), t)
    text, markup = roadmap_view(t, plan, True)
    await message.answer(t("roadmap.saved") + "\n\n" + text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="documents")
    router.message.register(documents_command, Command("documents"))
    router.callback_query.register(program_pressed, DocumentCb.filter(F.kind == DocumentKind.PROGRAM))
    router.callback_query.register(mentors_pressed, DocumentCb.filter(F.kind == DocumentKind.MENTORS))
    router.callback_query.register(mentors_paged, MentorsPageCb.filter())
    router.callback_query.register(period_asked, DocumentCb.filter(F.kind.in_(PERIODIC)
                                                                   & (F.period == PeriodChoice.ASK)))
    router.callback_query.register(period_to_type, DocumentCb.filter(F.kind.in_(PERIODIC)
                                                                     & (F.period == PeriodChoice.TYPED)))
    router.callback_query.register(period_pressed, DocumentCb.filter(F.kind.in_(PERIODIC)
                                                                     & F.period.in_(set(PERIODS))))
    router.message.register(period_typed, PeriodForm.span, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, PeriodForm.span, ~F.text.startswith("/"))
    router.callback_query.register(report_pressed, DocumentCb.filter(F.kind == DocumentKind.REPORT))
    router.callback_query.register(report_without_conclusions, DocumentCb.filter(F.kind == DocumentKind.REPORT_PLAIN))
    router.message.register(conclusions_typed, ReportForm.conclusions, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, ReportForm.conclusions, ~F.text.startswith("/"))
    router.callback_query.register(portfolio_pressed, MentorDocumentCb.filter(F.kind == MentorDocument.PORTFOLIO))
    router.callback_query.register(thanks_pressed, MentorDocumentCb.filter(F.kind == MentorDocument.THANKS))
    router.callback_query.register(region_pressed, DocumentCb.filter(F.kind == DocumentKind.REGION_REPORT))
    router.callback_query.register(roadmap_pressed, DocumentCb.filter(F.kind == DocumentKind.ROADMAP))
    router.callback_query.register(roadmap_docx_pressed, DocumentCb.filter(F.kind == DocumentKind.ROADMAP_DOCX))
    router.callback_query.register(stage_pressed, RoadmapStageCb.filter())
    router.callback_query.register(field_pressed, RoadmapFieldCb.filter())
    router.message.register(value_typed, RoadmapForm.value, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, RoadmapForm.value, ~F.text.startswith("/"))
    return router
