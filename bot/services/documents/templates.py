"""The shipped templates, made with python-docx as Word documents holding docxtpl's (Jinja2) tags, and the
lookup that lets an organisation use its own: DOCUMENT_TEMPLATES_DIR/<organisation id>/<name>.docx, then
DOCUMENT_TEMPLATES_DIR/<name>.docx, then the shipped one. `python -m bot templates DIR` writes the
shipped ones out to start from. Built in code rather than kept as binary files, so that a change to a
template is a readable diff."""
from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

PROGRAM = "program"
PAIRS_ORDER = "pairs_order"
JOURNAL = "journal"
REPORT = "report"
PORTFOLIO = "portfolio"
THANKS = "thanks"
REGION_REPORT = "region_report"
ROADMAP = "roadmap"
REPLACEMENT_ORDER = "replacement_order"


def _base(title: str) -> DocumentObject:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    org = doc.add_paragraph("{{ org }}")
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(title).bold = True
    return doc


def _table(doc: DocumentObject, headers: list[str], loop: str, cells: list[str]) -> None:
    """A table: its header, then one row per element of the loop (docxtpl's {%tr %} rows)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for n, text in enumerate(headers):
        table.cell(0, n).text = text
    table.cell(1, 0).text = "{%tr " + loop + " %}"
    for n, text in enumerate(cells):
        table.cell(2, n).text = text
    table.cell(3, 0).text = "{%tr endfor %}"


def _lines(doc: DocumentObject, name: str) -> None:
    """A paragraph for each line of the list `name` (docxtpl's {%p %} loop)."""
    doc.add_paragraph("{%p for line in " + name + " %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")


def _signed(doc: DocumentObject, *lines: str) -> None:
    """The signature lines and the date at a document's foot."""
    for line in lines:
        doc.add_paragraph(line + " ____________________")
    doc.add_paragraph("Дата: {{ today }}")


def _section(doc: DocumentObject, title: str) -> None:
    doc.add_paragraph().add_run(title).bold = True


def _program() -> DocumentObject:
    """Seed 000 §1 defines the program by its content: the forms and kinds of mentoring, the participants,
    its directions and the activities that address the mentee's difficulties; 002 §3.5 adds the term."""
    doc = _base("ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА")
    approve = doc.add_paragraph("{% if order %}УТВЕРЖДЕНА {{ order }}{% endif %}")
    approve.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _section(doc, "1. Участники программы")
    _table(doc, ["Роль", "ФИО", "Должность", "Предмет", "Стаж, лет"], "for p in people",
           ["{{ p.role }}", "{{ p.name }}", "{{ p.position }}", "{{ p.subject }}", "{{ p.experience }}"])
    _section(doc, "2. Форма, вид и срок реализации")
    for line in ("Форма наставничества: {{ form }}", "Вид наставничества: {{ kind }}",
                 "Срок реализации: {{ start }} — {{ end }}"):
        doc.add_paragraph(line)
    _section(doc, "3. Цели и направления наставнической деятельности")
    doc.add_paragraph("Цели: {{ goals }}")
    doc.add_paragraph("Профессиональные затруднения: {{ difficulties }}")
    _section(doc, "4. План мероприятий")
    _table(doc, ["№", "Мероприятие", "Срок", "Ожидаемый результат", "Выполнено", "Отметка"], "for i in items",
           ["{{ i.n }}", "{{ i.activity }}", "{{ i.due }}", "{{ i.expected }}", "{{ i.done }}", "{{ i.note }}"])
    doc.add_paragraph("{%p if growth %}")
    _section(doc, "5. Оценка профессиональных затруднений (1–5), в начале → в конце программы")
    _table(doc, ["Наставляемый", "Затруднение", "Самооценка", "Оценка наставника"], "for g in growth",
           ["{{ g.mentee }}", "{{ g.title }}", "{{ g.self }}", "{{ g.mentor }}"])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Наставник ____________________ / {{ mentor }}")
    doc.add_paragraph("Наставляемые ____________________ / {{ mentees }}")
    _signed(doc, "Куратор")
    return doc


def _order(title: str, what: str, headers: list[str], loop: str, cells: list[str], empty: str) -> DocumentObject:
    """An order of the head: its period, what it orders, the table of it, the head's signature."""
    doc = _base(title)
    doc.add_paragraph("Период: {{ period }}")
    doc.add_paragraph(f"В соответствии с Положением о системе наставничества педагогических работников {what}:")
    _table(doc, headers, loop, cells)
    doc.add_paragraph("{% if not " + loop.split()[-1] + " %}" + empty + "{% endif %}")
    _signed(doc, "Руководитель")
    return doc


def _pairs_order() -> DocumentObject:
    return _order("ПРИКАЗ О ЗАКРЕПЛЕНИИ НАСТАВНИЧЕСКИХ ПАР (ГРУПП)", "закрепить наставнические пары (группы)",
                  ["№ приказа", "Дата", "Наставник", "Наставляемые", "Форма", "Вид"], "for p in pairs",
                  ["{{ p.number }}", "{{ p.date }}", "{{ p.mentor }}", "{{ p.mentees }}", "{{ p.form }}",
                   "{{ p.kind }}"], "В этот период пары не утверждались.")


def _replacement_order() -> DocumentObject:
    return _order("ПРИКАЗ О ЗАМЕНЕ НАСТАВНИКА", "заменить наставника в наставнических парах (группах)",
                  ["№ приказа", "Дата", "Наставляемые", "Прежний наставник", "Новый наставник", "Основание"],
                  "for r in replacements", ["{{ r.number }}", "{{ r.date }}", "{{ r.mentees }}", "{{ r.old }}",
                                            "{{ r.new }}", "{{ r.ground }}"],
                  "В этот период замены не утверждались.")


def _journal() -> DocumentObject:
    doc = _base("ЖУРНАЛ НАСТАВНИКА")
    for line in ("Наставник: {{ mentor }}", "Наставляемые: {{ mentees }}", "Период: {{ period }}"):
        doc.add_paragraph(line)
    _table(doc, ["№", "Дата", "Часов", "Формат", "Тема", "Итоги", "Пункт плана", "Подтвердили"], "for m in meetings",
           ["{{ m.n }}", "{{ m.date }}", "{{ m.hours }}", "{{ m.format }}", "{{ m.topic }}", "{{ m.summary }}",
            "{{ m.item }}", "{{ m.confirmed }}"])
    doc.add_paragraph("Встреч: {{ meetings|length }}; часов: {{ hours }}")
    doc.add_paragraph("Наставник ____________________ / {{ mentor }}")
    doc.add_paragraph("Дата: {{ today }}")
    return doc


def _report() -> DocumentObject:
    doc = _base("ИТОГОВЫЙ АНАЛИТИЧЕСКИЙ ОТЧЁТ КУРАТОРА О РЕАЛИЗАЦИИ ПРОГРАММЫ НАСТАВНИЧЕСТВА")
    doc.add_paragraph("Период: {{ period }}")
    doc.add_paragraph().add_run("1. Показатели (методика расчёта — по формулам регионального мониторинга)").bold = True
    _lines(doc, "indicators")
    _lines(doc, "formulas")
    doc.add_paragraph().add_run("2. Программы наставничества и их результаты").bold = True
    _table(doc, ["№", "Пара (группа)", "Статус", "Основание завершения", "Рост (самооценка)",
                 "Рост (оценка наставника)"],
           "for p in programs", ["{{ p.n }}", "{{ p.title }}", "{{ p.status }}", "{{ p.reason }}", "{{ p.self }}",
                                 "{{ p.mentor }}"])
    doc.add_paragraph().add_run("3. Встречи и запросы о помощи по неделям").bold = True
    doc.add_paragraph("{{ chart }}")
    doc.add_paragraph().add_run("4. Выводы").bold = True
    doc.add_paragraph("{{ conclusions }}")
    _signed(doc, "Куратор")
    return doc


def _portfolio() -> DocumentObject:
    doc = _base("ПОРТФОЛИО НАСТАВНИКА")
    doc.add_paragraph("Наставник: {{ mentor }}")
    for line in ("Проведено встреч, подтверждённых наставляемыми: {{ meetings }}; часов: {{ hours }}",
                 "Запросов о помощи с ответом наставника: {{ requests }}; оценено: {{ rated }}, средняя оценка: "
                 "{{ rating }} из 5", "Проведено скоростных встреч: {{ sessions }}",
                 "Завершённых программ наставничества: {{ programs|length }}"):
        doc.add_paragraph(line)
    _table(doc, ["№", "Пара (группа)", "Основание завершения", "Рост (самооценка)", "Рост (оценка наставника)"],
           "for p in programs", ["{{ p.n }}", "{{ p.title }}", "{{ p.reason }}", "{{ p.self }}", "{{ p.mentor }}"])
    _signed(doc, "Куратор")
    return doc


def _thanks() -> DocumentObject:
    doc = _base("БЛАГОДАРСТВЕННОЕ ПИСЬМО")
    doc.add_paragraph("Уважаемый(ая) {{ mentor }}!")
    doc.add_paragraph("Администрация {{ org }} выражает Вам искреннюю благодарность за работу наставником: "
                      "проведено встреч — {{ meetings }} ({{ hours }} ч), завершено программ наставничества — "
                      "{{ programs|length }}, оказана помощь по запросам коллег — {{ requests }}.")
    _signed(doc, "Руководитель")
    return doc


def _region_report() -> DocumentObject:
    doc = _base("СВОДНЫЙ АНАЛИТИЧЕСКИЙ ОТЧЁТ О РЕАЛИЗАЦИИ СИСТЕМЫ НАСТАВНИЧЕСТВА")
    doc.add_paragraph("Организаций: {{ orgs|length }}. Дата: {{ today }}")
    doc.add_paragraph().add_run("Итого по организациям").bold = True
    _lines(doc, "indicators")
    _lines(doc, "formulas")
    doc.add_paragraph().add_run("По организациям").bold = True
    _table(doc, ["Организация", "МПн/МПо", "МПм/МПо", "Пар и групп", "Встреч за месяц", "Программ с ростом"],
           "for o in orgs", ["{{ o.name }}", "{{ o.programs_share }}", "{{ o.young_share }}", "{{ o.pairs }}",
                             "{{ o.meetings }}", "{{ o.grown }}"])
    doc.add_paragraph("Координатор ____________________")
    return doc


def _roadmap() -> DocumentObject:
    doc = _base("ДОРОЖНАЯ КАРТА РЕАЛИЗАЦИИ ПРОГРАММЫ НАСТАВНИЧЕСТВА НА {{ year }}/{{ next_year }} УЧЕБНЫЙ ГОД")
    _table(doc, ["№", "Содержание деятельности", "Сроки", "Исполнители", "Результаты"], "for s in stages",
           ["{{ s.number }}", "{{ s.title }}", "{{ s.dates }}", "{{ s.responsible }}", "{{ s.result }}"])
    _signed(doc, "Утверждаю: руководитель")
    return doc


SHIPPED: dict[str, Callable[[], DocumentObject]] = {
    PROGRAM: _program, PAIRS_ORDER: _pairs_order, REPLACEMENT_ORDER: _replacement_order, JOURNAL: _journal,
    REPORT: _report, PORTFOLIO: _portfolio, THANKS: _thanks, REGION_REPORT: _region_report, ROADMAP: _roadmap}


@functools.cache
def shipped(name: str) -> bytes:
    out = io.BytesIO()
    SHIPPED[name]().save(out)
    return out.getvalue()


def template_for(name: str, org_id: int, folder: Path | None) -> bytes:
    """The organisation's own template, the installation's, or the shipped one."""
    if folder is not None:
        for path in (folder / str(org_id) / f"{name}.docx", folder / f"{name}.docx"):
            if path.is_file():
                return path.read_bytes()
    return shipped(name)


def write_shipped(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in SHIPPED:
        path = folder / f"{name}.docx"
        path.write_bytes(shipped(name))
        paths.append(path)
    return paths
