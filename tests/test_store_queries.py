"""The store's per-item lookups use indexes, and its summary queries agree with the models."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from topcli.followthrough import session_date
from topcli.people import ActionItem, PersonRecord, load_person
from topcli.store import DB_NAME, Store

RELEASE = Path(__file__).resolve().parent / "data" / "releases" / "0.1.0"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    """The 0.1.0 fixture (migrated): people, conversations, a check-in, notes, a draft."""
    home.mkdir(mode=0o700)
    shutil.copyfile(RELEASE / DB_NAME, home / DB_NAME)
    opened = Store()
    yield opened
    opened.close()


def exported() -> list[dict[str, Any]]:
    return json.loads((RELEASE / "export.json").read_text())["sessions"]


def statements(store: Store, work: Callable[[], Any]) -> list[str]:
    """Every SQL statement ``work`` runs, with its values bound (SQLite's trace)."""
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    try:
        work()
    finally:
        store.db.set_trace_callback(None)
    return seen


#: Per-item work: each must find its rows through an index, whatever the store's size.
PER_ITEM: dict[str, Callable[[Store], Any]] = {
    "load a conversation": lambda s: s.load("0d42b058"),
    "load by a prefix": lambda s: s.load("0d42"),
    "one action": lambda s: s.action("1a"),
    "one action exactly": lambda s: s.action_row(exported()[0]["answers"]["actions"][0]["id"]),
    "a person by id": lambda s: s.find_person("sam-lee"),
    "latest conversation": lambda s: s.latest_session_row(),
    "latest with a person": lambda s: s.latest_session_row(person_id="sam-lee"),
    "latest paused": lambda s: s.latest_session_row(status="in_progress"),
    "latest plan": lambda s: s.latest_plan_id(),
    "their latest plan": lambda s: s.latest_plan_id(person_id="sam-lee"),
    "notes of actions": lambda s: s.action_notes([_open_action(s)]),
    "their conversations": lambda s: s.session_rows(person_id="sam-lee"),
    "their summaries": lambda s: s.conversation_summaries(person_id="sam-lee"),
    "their actions": lambda s: s.action_summaries(person_id="sam-lee"),
    "open actions": lambda s: s.action_summaries(status="open"),
    "a draft": lambda s: s.draft("d8959ac0", "actions"),
    "note an action": lambda s: s.add_action_note(_open_action(s), "a note"),
    "close an action": lambda s: s.set_action_status(_open_action(s), "done", "ok"),
    "delete a conversation": lambda s: s.delete_session("e3f0e2d7"),
    "answer a question": lambda s: _answer(s),
}


def _open_action(store: Store) -> str:
    return store.action_summaries(status="open")[0]["id"]


def _answer(store: Store) -> None:
    session = store.load("d8959ac0")
    store.save_answer("d8959ac0", session.framework.question("actions"), [])
    store.save_answer("d8959ac0", session.framework.question("followup"), "2026-04-01")


# ------------------------------------------------------------------ the full models, for reference


def load_people(store: Store) -> list[PersonRecord]:
    """Everyone with every conversation read whole: what the summaries must agree with."""
    return [load_person(store, p) for p in store.people()]


def action_items(people: list[PersonRecord]) -> list[ActionItem]:
    return [
        ActionItem(action, session.id, person)
        for person in people
        for session in person.sessions
        for action in session.actions
    ]


def people_summary(people: list[PersonRecord], today: date) -> list[dict[str, Any]]:
    """The people summary computed from full models (as listings did before summary queries)."""
    summary = []
    for person in people:
        latest = person.sessions[-1] if person.sessions else None
        done = [s for s in person.sessions if s.is_complete]
        finished = done[-1] if done else None
        upcoming = finished.followup if finished is not None else None
        open_actions = [a for a in action_items([person]) if a.is_open]
        unfinished = person.sessions and not person.sessions[-1].is_complete
        in_progress = person.sessions[-1] if unfinished else None
        summary.append(
            {
                "name": person.name,
                "id": person.id,
                "conversations": len(person.sessions),
                "last": None
                if latest is None
                else {
                    "session": latest.id,
                    "date": session_date(latest).isoformat(),
                    "kind": latest.kind,
                    "framework": latest.framework.id,
                    "status": latest.status,
                },
                "next": None
                if not upcoming or finished is None
                else {"date": upcoming, "session": finished.id},
                "in_progress": None if in_progress is None else in_progress.id,
                "open_actions": len(open_actions),
                "overdue_actions": sum(1 for a in open_actions if a.due < today),
            }
        )
    return summary


def full_scans(store: Store, sql: str) -> list[str]:
    """The steps of ``sql``'s query plan that read a whole table or index."""
    if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")):
        return []
    plan = store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    # walking an index in order and stopping after LIMIT rows (the latest one) is no full scan
    early_stop = " LIMIT " in sql.upper()
    return [
        step["detail"]
        for step in plan
        if step["detail"].startswith("SCAN") and not (early_stop and " USING " in step["detail"])
    ]


@pytest.mark.parametrize("name", list(PER_ITEM))
def test_per_item_lookups_never_scan_a_whole_table(store: Store, name: str) -> None:
    # people are matched by name in Python (case folding SQLite lacks); by id is indexed
    ran = statements(store, lambda: PER_ITEM[name](store))
    assert ran, "nothing ran"
    scans = {sql: full_scans(store, sql) for sql in ran}
    assert {sql: steps for sql, steps in scans.items() if steps} == {}


def test_the_check_catches_a_missing_index(store: Store) -> None:
    store.db.execute("DROP INDEX notes_by_action")
    ran = statements(store, lambda: store.load("0d42b058"))
    assert any(full_scans(store, sql) for sql in ran)


# --------------------------------------------------------------------------- summaries


def test_conversation_summaries_agree_with_the_full_models(store: Store) -> None:
    summaries = store.conversation_summaries()
    assert [s["started_at"] for s in summaries] == sorted(
        (s["started_at"] for s in summaries), reverse=True
    )
    assert len(summaries) == len(exported())
    for summary in summaries:
        session = store.load(summary["id"])
        assert summary["person_name"] == session.person_name
        assert summary["person_id"] == session.person_id
        assert summary["kind"] == session.kind
        assert summary["status"] == session.status
        assert summary["previous_id"] == session.previous_id
        assert summary["framework_id"] == session.framework.id
        assert summary["framework_version"] == session.framework.version
        assert summary["started_at"] == session.started_at
        assert summary["completed_at"] == session.completed_at
        assert summary["followup"] == session.followup
        assert summary["answers"] == len(session.answers)
        assert summary["actions"] == len(session.actions)
        assert summary["open_actions"] == sum(a["status"] == "open" for a in session.actions)
    oldest = store.conversation_summaries(newest_first=False, limit=2)
    assert [s["id"] for s in oldest] == [s["id"] for s in summaries[::-1][:2]]
    sams = store.conversation_summaries(person_id="sam-lee", status="complete")
    assert {s["id"] for s in sams} == {"0d42b058", "16fc038c"}


def test_people_summaries_agree_with_the_full_models(store: Store) -> None:
    today = date(2026, 4, 15)  # after the carried-over action's new due date
    summaries = store.people_summaries(today=today.isoformat())
    assert any(p["overdue_actions"] for p in summaries)
    expected = people_summary(load_people(store), today)
    assert [p["id"] for p in summaries] == [p["id"] for p in expected]
    for person, model in zip(summaries, expected, strict=True):
        assert person["name"] == model["name"]
        assert person["conversations"] == model["conversations"]
        last = model["last"]
        assert person["last_session"] == last["session"]
        assert person["last_started_at"][:10] == last["date"]
        assert person["last_kind"] == last["kind"]
        assert person["last_framework"] == last["framework"]
        assert person["last_status"] == last["status"]
        upcoming = model["next"]
        assert person["next"] == (upcoming and upcoming["date"])
        assert person["next_session"] == (upcoming and upcoming["session"])
        assert person["in_progress"] == model["in_progress"]
        assert person["open_actions"] == model["open_actions"]
        assert person["overdue_actions"] == model["overdue_actions"]
        sessions = [store.load(r["id"]) for r in store.session_rows(person_id=person["id"])]
        assert person["actions"] == sum(len(s.actions) for s in sessions)
    assert [p["overdue_actions"] for p in store.people_summaries()] == [0] * len(summaries)
    # the follow-up dates alone, and the first people of a listing alone, say the same
    dates = {p["id"]: p for p in store.followup_dates()}
    assert set(dates) == {p["id"] for p in summaries if p["next"]}
    for person in summaries:
        if person["next"]:
            for key in ("name", "next", "next_session", "next_started_at"):
                assert dates[person["id"]][key] == person[key]
    recent = sorted(summaries, key=lambda p: p["last_started_at"] or "", reverse=True)
    first = store.people_summaries(today=today.isoformat(), recent_first=True, limit=2)
    assert first == recent[:2]
    assert store.people_summaries(today=today.isoformat(), limit=1) == summaries[:1]


def test_action_summaries_agree_with_the_full_models(store: Store) -> None:
    items = {item.id: item for item in action_items(load_people(store))}
    summaries = store.action_summaries()
    assert {a["id"] for a in summaries} == set(items)
    assert [a["due"] for a in summaries] == sorted(a["due"] for a in summaries)
    for summary in summaries:
        item = items[summary["id"]]
        for key in ("what", "due", "success", "support", "status", "carried_from"):
            assert summary[key] == item.action[key]
        assert summary["notes"] == len(item.action["notes"])
        assert summary["person_id"] == item.person.id
        assert summary["session_id"] == item.session_id
    open_now = store.action_summaries(status="open", due_before="2026-12-31")
    assert [a["id"] for a in open_now] == [i for i, it in items.items() if it.status == "open"]


def test_one_action_comes_with_its_conversation_and_person(store: Store) -> None:
    sam = next(s for s in exported() if s["id"] == "0d42b058")
    carried = next(a for a in sam["answers"]["actions"] if a["status"] == "carried")
    found = store.action(carried["id"][:4])
    assert {k: found[k] for k in carried} == carried
    assert found["session_id"] == "0d42b058"
    assert found["person_id"] == "sam-lee" and found["person_name"] == "Sam Lee"
    assert found["session_started_at"] == sam["started_at"]
    assert found["session_followup"] == sam["followup"]
    checkin = next(s for s in exported() if s["id"] == "16fc038c")
    copy = next(a for a in checkin["answers"]["actions"] if a["carried_from"] == carried["id"])
    assert found["carried_to"] == copy["id"]


# --------------------------------------------------------------------------- growth


def _work(store: Store, call: Callable[[Store], Any]) -> int:
    """SQLite's own measure of the work a call does: virtual machine steps (in hundreds),
    the same on every machine and every run, unlike a timing."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store.db.set_progress_handler(count, 100)
    try:
        call(store)
    finally:
        store.db.set_progress_handler(None, 0)
    return steps[0]


def _grown_store(home: Path, conversations: int) -> Store:
    """A store of ``conversations`` copies of the fixture's first one (five per person)."""
    from topcli.transfer import import_text

    base = next(s for s in exported() if s["id"] == "0d42b058")
    sessions = []
    for n in range(conversations):
        copy = json.loads(json.dumps(base))
        copy["id"] = f"{n:08x}"
        copy["person"] = {"id": f"p{n // 5}", "name": f"Person {n // 5}", "created_at": "2026"}
        copy["person"]["created_at"] = base["person"]["created_at"]
        for k, action in enumerate(copy["answers"]["actions"]):
            action["id"] = f"{n:07x}{k}"
            action["carried_from"] = None
            action["status"] = "open"
        sessions.append(copy)
    store = Store(home / DB_NAME)
    import_text(json.dumps({"schema_version": 1, "sessions": sessions}), source="t", store=store)
    return store


PER_PERSON: dict[str, Callable[[Store], Any]] = {
    "their conversations": lambda s: s.conversation_summaries(person_id="p3", status="complete"),
    "their open actions": lambda s: s.action_summaries(person_id="p3", status="open"),
    "their latest": lambda s: s.latest_session_row(person_id="p3", status="complete"),
    "one action": lambda s: s.action("00000030"),
    "one conversation": lambda s: s.load("00000010"),
}


def test_per_item_work_does_not_grow_with_the_store(tmp_path: Path) -> None:
    small, large = _grown_store(tmp_path / "s", 40), _grown_store(tmp_path / "l", 400)
    for name, call in PER_PERSON.items():
        assert _work(large, call) <= _work(small, call) + 1, name


def test_listings_grow_linearly_with_the_store(tmp_path: Path) -> None:
    small, large = _grown_store(tmp_path / "s", 40), _grown_store(tmp_path / "l", 400)
    for call in (
        lambda s: s.people_summaries(today="2026-04-15"),
        lambda s: s.conversation_summaries(),
        lambda s: s.action_summaries(status="open"),
        lambda s: s.people_summaries(recent_first=True, limit=50),
        lambda s: s.followup_dates(),
    ):
        assert _work(large, call) <= 15 * max(1, _work(small, call))
