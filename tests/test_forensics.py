"""The forensic test of anonymity: 12 answers in a known order, then the database files read as someone who
copied them would — SQLite's WAL replayed commit by commit, PostgreSQL's xmin and (with pageinspect, where
the test database allows it) its dead tuples. No answer may be tied to fewer people than the minimum."""
from __future__ import annotations

import json
import sqlite3
import struct
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.services import surveys as svc
from bot.services.actor import load_actor
from bot.services.surveys import answer, build, jobs
from tests.conftest import START
from tests.factories import I18N, full_answers, launched_survey, survey_world

ANSWERS = 12
MINIMUM = 3
FIRST_MENTEE = 100  # the Telegram ids of survey_world's mentees: 100, 101, …


async def _answer_in_order(db) -> tuple[int, dict[str, int]]:
    """Mentee n answers n-th, with a wish only they wrote; returns the survey and who wrote which wish."""
    await survey_world(db, mentees=ANSWERS)
    sid = await launched_survey(db)
    authors = {}
    for n in range(ANSWERS):
        async with db() as session:
            actor = await load_actor(session, FIRST_MENTEE + n)
            form = await svc.questionnaire(session, actor, sid, START, I18N)
            await svc.submit(session, actor, sid, full_answers(form, wish=f"пожелание {n:02d}"), START)
            authors[f"пожелание {n:02d}"] = actor.person_id
    async with db() as session:
        await svc.close(session, await load_actor(session, 1), sid, START, I18N)
    return sid, authors


def _wal_states(main: bytes, wal: bytes) -> list[bytes]:
    """The database as it was after each commit in the WAL (frames applied in order onto the main file)."""
    magic, _, page_size, _, salt1, salt2 = struct.unpack(">IIIIII", wal[:24])
    assert magic in (0x377F0682, 0x377F0683)
    states, image, offset = [], bytearray(main), 32
    while offset + 24 + page_size <= len(wal):
        page, commit, s1, s2 = struct.unpack(">IIII", wal[offset:offset + 16])
        if (s1, s2) != (salt1, salt2):
            break  # frames left over from before the last restart of the WAL
        data = wal[offset + 24:offset + 24 + page_size]
        end = page * page_size
        if len(image) < end:
            image.extend(b"\0" * (end - len(image)))
        image[end - page_size:end] = data
        if commit:
            states.append(bytes(image[:commit * page_size]))
        offset += 24 + page_size
    return states


def _read(image: bytes, tmp: Path) -> tuple[Counter, set[int], set[int]]:
    """(the answers' wishes, who is marked answered, who has an entry in the mix) in one state."""
    tmp.write_bytes(image)
    with sqlite3.connect(f"file:{tmp}?immutable=1", uri=True) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "survey_mix" not in tables:
            return Counter(), set(), set()
        wishes = Counter(next(v for v in json.loads(a).values() if isinstance(v, str))
                         for (a,) in conn.execute("SELECT answers FROM survey_responses"))
        marked = {p for (p,) in conn.execute("SELECT person_id FROM survey_participants WHERE answered")}
        mixed = {p for (p,) in conn.execute("SELECT person_id FROM survey_mix")}
    return wishes, marked, mixed


async def test_a_wal_replayed_commit_by_commit_ties_no_answer_to_fewer_than_the_minimum(db, db_url, tmp_path,
                                                                                     monkeypatch):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's WAL")
    path = Path(db_url.split("///", 1)[1])

    async def keep_the_wal(session) -> None:  # the strongest reader: every commit still in the WAL
        return None

    for module in (answer, build, jobs):  # every part of surveys that checkpoints
        monkeypatch.setattr(module, "checkpoint", keep_the_wal)
    async with db() as session:  # what came before the survey is in the main file; the WAL starts empty
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    base = path.read_bytes()  # copied as a backup would, the main file and the WAL (below)
    sid, authors = await _answer_in_order(db)
    states = _wal_states(base, (path.with_name(path.name + "-wal")).read_bytes())
    assert len(states) >= ANSWERS  # each submission committed at least once: the WAL was not restarted

    previous, linked = _read(base, tmp_path / "state.db"), {}
    for image in states:
        current = _read(image, tmp_path / "state.db")
        new_answers = current[0] - previous[0]
        touched = (current[1] - previous[1]) | (current[2] ^ previous[2])  # marks set, mix entries in or out
        if new_answers:
            # a commit that brings answers brings at least the minimum of them, and as many people
            assert sum(new_answers.values()) >= MINIMUM and len(current[1] - previous[1]) >= MINIMUM
            for wish in new_answers:
                assert authors[wish] in touched  # the reader's best guess: one of the people of that commit
                linked[wish] = len(touched)
        previous = current
    assert set(linked) == set(authors)  # every answer was seen arriving
    assert min(linked.values()) >= MINIMUM, linked


async def _scalars(db, sql: str) -> list:
    async with db() as session:
        return list((await session.execute(text(sql))).scalars().all())


async def test_postgresql_xmin_and_dead_tuples_tie_no_answer_to_fewer_than_the_minimum(db, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's heap")
    sid, authors = await _answer_in_order(db)
    # every answer's inserting transaction wrote at least the minimum of answers and of marks
    answers_by_xmin = Counter(await _scalars(db, "SELECT xmin::text FROM survey_responses"))
    marks_by_xmin = Counter(await _scalars(db, "SELECT xmin::text FROM survey_participants WHERE answered"))
    assert sum(answers_by_xmin.values()) == ANSWERS
    assert min(answers_by_xmin.values()) >= MINIMUM and answers_by_xmin == marks_by_xmin

    try:
        async with db() as session:
            await session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            await session.commit()
    except Exception:  # noqa: BLE001 - not every test database lets us (it needs a superuser)
        pytest.skip("pageinspect is not available to this role")

    async def tuples(table: str) -> list[tuple[int, int, bytes]]:
        """Every tuple on the table's pages, live or dead: (xmin, xmax, data)."""
        async with db() as session:
            blocks = await session.scalar(text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"))
            rows = []
            for block in range(blocks):
                rows += (await session.execute(text(
                    f"SELECT t_xmin::text::bigint, t_xmax::text::bigint, t_data FROM heap_page_items("
                    f"get_raw_page('{table}', {block})) WHERE t_data IS NOT NULL"))).all()
            return [(xmin, xmax, bytes(data)) for xmin, xmax, data in rows]

    # people a transaction touched, by what the pages show: marks it wrote or replaced, mix entries it removed
    touched: dict[int, set[int]] = {}
    for xmin, xmax, data in await tuples("survey_participants"):
        survey_id, person_id = struct.unpack("<ii", data[:8])
        if survey_id == sid:
            touched.setdefault(xmin, set()).add(person_id)
            if xmax:
                touched.setdefault(xmax, set()).add(person_id)
    for _, _, data in await tuples("survey_mix"):
        assert not any(wish.encode() in data for wish in authors)  # sealed, even in dead tuples
    for xmin, _, data in await tuples("survey_responses"):
        wish = next((w for w in authors if w.encode() in data), None)
        assert wish is not None
        assert authors[wish] in touched[xmin] and len(touched[xmin]) >= MINIMUM
