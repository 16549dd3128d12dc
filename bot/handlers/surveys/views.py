"""Texts and keyboards of surveys, made from the services' data."""
from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.render import Keyboard, from_pairs, shorten
from bot.handlers.surveys.callbacks import (
    SurveyAction,
    SurveyAnswerCb,
    SurveyCb,
)
from bot.i18n import Translator
from bot.services import surveys as svc
from bot.services.dates import local_time
from db.models import QuestionKind, SurveyStatus


def audience_text(t: Translator, c: svc.SurveyCard) -> str:
    if c.audience.startswith("program."):
        return t.plain("survey.audience.program_of", people=c.audience_label or "—")
    if svc.is_pooled(c):
        return t.plain("survey.audience.completion")
    return t.plain(f"survey.audience.{c.audience}")


def card_view(t: Translator, c: svc.SurveyCard) -> tuple[str, InlineKeyboardMarkup | None]:
    text = t("survey.card", title=c.title, status=t.plain(f"survey_status.{c.status.value}"),
             audience=audience_text(t, c), deadline=local_time(c.deadline, c.timezone),
             anonymous=t.plain("btn.yes" if c.anonymous else "btn.no"), questions=c.questions,
             answered=c.answered, invited=c.invited)
    pooled = svc.is_pooled(c)
    if c.status == SurveyStatus.OPEN:
        text += "\n\n" + t("survey.results_pooled" if pooled else "survey.results_when", min=c.min_answers)
    buttons: list[tuple[str, str]] = []
    if c.can_manage and c.status == SurveyStatus.DRAFT:
        buttons += [(t.plain("btn.survey_launch"), SurveyCb(survey=c.id, action=SurveyAction.LAUNCH).pack()),
                    (t.plain("btn.survey_make_named" if c.anonymous else "btn.survey_make_anonymous"),
                     SurveyCb(survey=c.id, action=SurveyAction.ANON).pack()),
                    (t.plain("btn.survey_delete"), SurveyCb(survey=c.id, action=SurveyAction.DELETE).pack())]
    elif c.can_manage and c.status == SurveyStatus.OPEN:
        buttons.append((t.plain("btn.survey_close"), SurveyCb(survey=c.id, action=SurveyAction.CLOSE).pack()))
    if c.status == SurveyStatus.CLOSED or pooled and c.status == SurveyStatus.OPEN:
        buttons += [(t.plain("btn.survey_results"), SurveyCb(survey=c.id, action=SurveyAction.RESULTS).pack()),
                    (t.plain("btn.survey_xlsx"), SurveyCb(survey=c.id, action=SurveyAction.XLSX).pack())]
    return text, from_pairs(buttons) if buttons else None


def decimal(t: Translator, value: float) -> str:
    return f"{value:.2f}".replace(".", t.plain("survey.decimal_point"))


def results_text(t: Translator, r: svc.SurveyResults) -> str:
    rate = round(100 * r.answered / r.invited) if r.invited else 0
    parts = [t("survey.results_title", title=r.title, answered=r.answered, invited=r.invited, rate=rate)]
    if r.stored < r.answered:
        parts.append(t("survey.results_waiting", count=r.answered - r.stored, min=r.minimum))
    for q in r.questions:
        lines = [t("survey.results_question", number=q.position + 1, text=q.text)]
        if q.answered == 0:
            lines.append(t("survey.results_no_answers"))
        elif q.hidden:
            lines.append(t("survey.results_hidden", min=r.minimum))
        elif q.kind == QuestionKind.SCALE:
            spread = ", ".join(f"{value} — {count}" for value, count in reversed(q.distribution) if count)
            lines.append(t("survey.results_mean", mean=decimal(t, q.mean or 0), count=q.answered, spread=spread))
        elif q.kind == QuestionKind.TEXT:
            lines += [t("survey.results_text", text=text) for text in q.texts]
        else:
            lines += [t("survey.results_option", option=option, count=count,
                        share=round(100 * count / q.answered)) for option, count in q.distribution]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def audiences(template: str | None) -> list[str]:
    return {"mentee": ["mentees", "programs"], "mentor": ["mentors", "programs"]}.get(
        template or "", ["mentees", "mentors", "everyone", "programs"])


def question_markup(t: Translator, form: svc.Questionnaire, index: int, picked: list[int]) -> InlineKeyboardMarkup:
    q = form.questions[index]
    kb = Keyboard()

    def button(text: str, v: str) -> None:
        kb.button(text=shorten(text, 60), callback_data=SurveyAnswerCb(survey=form.survey_id, q=index, v=v))

    sizes: list[int] = []
    if q.kind == QuestionKind.SCALE:
        for n in svc.SCALE:
            button(str(n), str(n))
        sizes += [5, 5]
    elif q.kind == QuestionKind.YES_NO:
        button(t.plain("btn.yes"), "y")
        button(t.plain("btn.no"), "n")
        sizes.append(2)
    elif q.kind == QuestionKind.SINGLE:
        for i, option in enumerate(q.options):
            button(option, f"o{i}")
            sizes.append(1)
    elif q.kind == QuestionKind.MULTI:
        for i, option in enumerate(q.options):
            button(("✅ " if i in picked else "▫️ ") + option, f"t{i}")
            sizes.append(1)
        button(t.plain("btn.done", count=len(picked)), "d")
        sizes.append(1)
    nav = 0
    if index > 0:
        button(t.plain("btn.survey_back"), "b")
        nav += 1
    if not q.required:
        button(t.plain("btn.skip"), "s")
        nav += 1
    if nav:
        sizes.append(nav)
    return kb.adjust(*sizes).as_markup()


def question_text(t: Translator, form: svc.Questionnaire, index: int) -> str:
    q = form.questions[index]
    text = t("survey.question", title=form.title, number=index + 1, total=len(form.questions), text=q.text)
    hint = t(f"survey.hint.{q.kind.value}")
    if not q.required:
        hint += " " + t("survey.hint.optional")
    return f"{text}\n<i>{hint}</i>"


def answer_text(t: Translator, q: svc.QuestionView, value: Any) -> str:
    if value is None:
        return t.plain("survey.skipped")
    if q.kind == QuestionKind.YES_NO:
        return t.plain("btn.yes" if value else "btn.no")
    if q.kind == QuestionKind.SINGLE:
        return q.options[value]
    if q.kind == QuestionKind.MULTI:
        return "; ".join(q.options[i] for i in value)
    return str(value)


def answers_summary(t: Translator, form: svc.Questionnaire, answers: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("survey.summary_title", title=form.title)]
    for q in form.questions:
        lines.append(t("survey.summary_line", number=q.position + 1, question=shorten(q.text, 70),
                       answer=shorten(answer_text(t, q, answers.get(str(q.id))), 150)))
    lines.append(t("survey.anonymous_note" if form.anonymous else "survey.named_note"))
    index = len(form.questions)
    kb = Keyboard()
    kb.button(text=t.plain("btn.survey_send"), callback_data=SurveyAnswerCb(survey=form.survey_id, q=index, v="send"))
    kb.button(text=t.plain("btn.survey_back"), callback_data=SurveyAnswerCb(survey=form.survey_id, q=index, v="b"))
    return "\n".join(lines), kb.adjust(1).as_markup()
