"""Files for curators: PNG charts (matplotlib) and XLSX workbooks (openpyxl).

Both are built off the event loop (`asyncio.to_thread`): drawing and zipping take tens of
milliseconds, which the bot's other users should not wait for. matplotlib is used through its
object API with the Agg canvas (no pyplot global state, safe in a worker thread).
"""
from __future__ import annotations

import asyncio
import io
from typing import Any

from bot.i18n import Translator
from bot.services.dates import local_time
from bot.services.spreadsheet import TextRows
from bot.services.surveys import QuestionResult, SurveyResults
from db.models import QuestionKind, Role


def _wrap(text: str, width: int = 48) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def _survey_chart(results: SurveyResults, title: str, xlabel: str) -> bytes | None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scales = [q for q in results.questions if q.kind == QuestionKind.SCALE and q.mean is not None]
    if not scales:
        return None
    figure = Figure(figsize=(9, 1.0 + 0.75 * len(scales)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [_wrap(f"{q.position + 1}. {q.text}") for q in scales]
    means = [q.mean or 0 for q in scales]
    bars = axes.barh(range(len(scales)), means, color="#3d7ab8")
    axes.set_yticks(range(len(scales)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 10)
    axes.set_xlabel(xlabel)
    axes.set_title(_wrap(title, 70), fontsize=10)
    for bar, mean in zip(bars, means, strict=True):
        axes.text(bar.get_width() + 0.1, bar.get_y() + bar.get_height() / 2, f"{mean:.2f}", va="center", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


async def survey_chart(results: SurveyResults, t: Translator) -> bytes | None:
    """Mean of every 1–10 question, as horizontal bars; None when the survey has no such question."""
    return await asyncio.to_thread(_survey_chart, results, results.title, t.plain("survey.chart_axis"))


def _value_text(t: Translator, q: QuestionResult, value: Any) -> str:
    if value is None:
        return ""
    if q.kind == QuestionKind.YES_NO:
        return t.plain("btn.yes" if value else "btn.no")
    if q.kind == QuestionKind.SINGLE:
        return q.options[value] if 0 <= value < len(q.options) else ""
    if q.kind == QuestionKind.MULTI:
        return "; ".join(q.options[i] for i in value if 0 <= i < len(q.options))
    return str(value)


def _survey_workbook(results: SurveyResults, t: Translator,
                     named: list[tuple[str, dict[str, Any]]] | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(rows: TextRows, values: list[Any]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(rows.sheet, value=value)
            cell.font = bold
            cells.append(cell)
        rows.sheet.append(cells)

    summary = TextRows(book.create_sheet(t.plain("survey.xlsx.summary_sheet")))
    summary.append([t.plain("survey.xlsx.survey"), results.title])
    summary.append([t.plain("survey.xlsx.deadline"), local_time(results.deadline, results.timezone)])
    summary.append([t.plain("survey.xlsx.invited"), results.invited])
    summary.append([t.plain("survey.xlsx.answered"), results.answered])
    summary.append([])
    header(summary, [t.plain(f"survey.xlsx.{name}") for name in ("number", "question", "kind", "answers", "mean")]
           + [t.plain("survey.xlsx.distribution")])
    for q in results.questions:
        if q.hidden:  # fewer answers than the minimum: not even their number
            summary.append([q.position + 1, q.text, t.plain(f"question_kind.{q.kind.value}"),
                            t.plain("survey.results_hidden", min=results.minimum)])
            continue
        row: list[Any] = [q.position + 1, q.text, t.plain(f"question_kind.{q.kind.value}"), q.answered,
                          round(q.mean, 2) if q.mean is not None else None]
        row += [f"{label}: {count}" for label, count in q.distribution]
        summary.append(row)

    texts = TextRows(book.create_sheet(t.plain("survey.xlsx.texts_sheet")))
    header(texts, [t.plain("survey.xlsx.number"), t.plain("survey.xlsx.question"), t.plain("survey.xlsx.answer")])
    for q in results.questions:
        for text in q.texts:  # already in random order
            texts.append([q.position + 1, q.text, text])

    if named is not None:
        people = TextRows(book.create_sheet(t.plain("survey.xlsx.named_sheet")))
        header(people, [t.plain("survey.xlsx.person")] + [f"{q.position + 1}. {q.text}" for q in results.questions])
        for name, answers in named:
            people.append([name] + [_value_text(t, q, answers.get(str(q.id))) for q in results.questions])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def survey_workbook(results: SurveyResults, t: Translator,
                          named: list[tuple[str, dict[str, Any]]] | None = None) -> bytes:
    """Sheets: the summary (counts, means, distributions), the free answers (random order) and,
    for a named survey only, everyone's answers by name."""
    return await asyncio.to_thread(_survey_workbook, results, t, named)


# ------------------------------------------------------------------------- summaries
def percent(t: Translator, value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", t.plain("survey.decimal_point")) + "%"


def number(t: Translator, value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".replace(".", t.plain("survey.decimal_point"))


def _counts(t: Translator, prefix: str, counts: dict) -> str:
    items = sorted(((t.plain(f"{prefix}.{key.value}") if key is not None else t.plain("summary.unknown"), n)
                    for key, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{name} — {n}" for name, n in items) or "—"


def indicators_text(t: Translator, ind: Any) -> str:
    """The indicators block, the same for one organisation and for a total (summary.Indicators)."""

    roles = ind.people_by_role
    lines = [
        t("summary.people", mentees=roles.get(Role.MENTEE, 0), mentors=roles.get(Role.MENTOR, 0),
          curators=roles.get(Role.CURATOR, 0), heads=roles.get(Role.HEAD, 0)),
        t("summary.categories", list=_counts(t, "category", ind.mentees_by_category)),
        t("summary.indicators"),
        t("summary.share_programs", share=percent(t, ind.programs_share), part=ind.teachers_in_programs,
          whole=ind.teachers_total, note="" if ind.teachers_total_set else t.plain("summary.registered_note")),
        t("summary.share_young", share=percent(t, ind.young_share), part=ind.young_covered, whole=ind.young_total,
          note="" if ind.young_total_set else t.plain("summary.registered_note")),
        t("summary.programs", programs=ind.programs, active=ind.programs_active),
        t("summary.pairs", pairs=ind.active_pairs, forms=_counts(t, "form", ind.active_by_form),
          kinds=_counts(t, "kind", ind.active_by_kind)),
        t("summary.month", meetings=ind.meetings_month, hours=number(t, ind.minutes_month / 60),
          requests=ind.help_month, median=number(t, ind.help_median_minutes, 0)),
        t("summary.requests_now", open=ind.help_open, overdue=ind.help_overdue),
        t("summary.surveys", surveys=ind.surveys, answered=ind.survey_answered, invited=ind.survey_invited,
          rate=percent(t, ind.response_rate), satisfaction=number(t, ind.satisfaction, 2)),
    ]
    if ind.programs_assessed:
        lines.append(t("summary.growth", grown=ind.programs_grown, assessed=ind.programs_assessed,
                       share=percent(t, ind.growth_share), before=number(t, ind.mean_rating(False), 2),
                       after=number(t, ind.mean_rating(True), 2)))
    return "\n".join(lines)


ATTENTION_SECTIONS = ("without_mentor", "unpaired_mentees", "candidates", "awaiting_approval", "no_program", "overdue_items", "unanswered_requests",
                      "quiet_pairs", "ending_programs", "unreachable")


def attention_text(t: Translator, att: Any) -> str:
    if att.empty:
        return t("summary.attention_none")
    lines = [t("summary.attention")]
    for section in ATTENTION_SECTIONS:
        count, _ = getattr(att, section)
        if count:
            lines.append(t(f"summary.attention_{section}", count=count))
    return "\n".join(lines)


def _weekly_chart(title: str, weeks: list, meetings: list[int], requests: list[int], labels: tuple[str, str]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x = range(len(weeks))
    axes.bar([i - 0.2 for i in x], meetings, width=0.4, label=labels[0], color="#3d7ab8")
    axes.bar([i + 0.2 for i in x], requests, width=0.4, label=labels[1], color="#e0a030")
    axes.set_xticks(list(x), [w.strftime("%d.%m") for w in weeks], fontsize=8)
    axes.set_title(_wrap(title, 70), fontsize=10)
    axes.legend(fontsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


async def weekly_chart(t: Translator, title: str, week: Any) -> bytes:
    """Meetings and help requests per week (summary.WeekFigures), as grouped bars."""
    return await asyncio.to_thread(_weekly_chart, title, week.weeks, week.meetings_by_week, week.requests_by_week,
                                   (t.plain("summary.chart_meetings"), t.plain("summary.chart_requests")))
