"""Starting, resuming and finishing conversations: one pipeline for ``start`` and ``checkin``.

Every start goes the same way (:func:`hold`): whatever can be refused (an unknown framework, no
earlier conversation, a bad answers file, missing answers when no one can be asked) is refused
before anything is created, so a bad run leaves nothing half made; then the conversation is
created holding the answers the file gave, and the runner asks the rest. What differs between a
first conversation and a check-in (where the framework comes from, who it is with, the line shown
before the first question) is a :class:`NewConversation`, made by :func:`start_session` or
:func:`start_checkin`.

A preparation sheet (``--prep``) is read by :func:`_prepare` with the other refusals: its
answers join the given ones without a terminal, or are offered as each question's starting
answer in one (:mod:`topcli.prep_use`); where each given answer came from is stored with it.

Finishing depends on the kind too: :func:`finish` applies a check-in's outcome, here and not in
``topcli checkin``, so finishing a check-in through ``topcli resume`` applies it as well.

Dependencies point one way: this module uses the runner, the check-in modules and the prompts;
none of them uses it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from topcli.framework import Framework
from topcli.prep_use import Prepared
from topcli.prompts import Prompter
from topcli.runner import SessionRunner
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

#: What every first line before the questions ends with.
_SAVED_AS_YOU_GO = " Every answer is saved as you go; Ctrl-C pauses."


@dataclass
class StartRequest:
    """What ``topcli start`` was asked for, from flags and an optional answers file."""

    framework: str | None = None
    person: str | None = None
    answers_file: str | None = None
    interactive: bool = True
    #: ``--new-person``: create a new person even when the name nearly matches someone stored.
    new_person: bool = False
    #: A filled-in preparation sheet (``--prep``), and whether to use one written for
    #: another person or framework without asking (``--force``).
    prep_file: str | None = None
    force: bool = False


@dataclass(frozen=True)
class NewConversation:
    """A conversation about to be held: its framework resolved and its answers file read."""

    framework: Framework
    #: The answers as the file gave them (checked by :func:`hold`, before anything is created).
    given: Mapping[str, Any]
    #: The file they came from, for messages (``None``: no file).
    answers_file: str | None
    #: Ends the "missing answers" error: how to give them (names the command).
    missing_hint: str
    #: The first line shown in a terminal, from the new session's id and the person's name.
    intro: Callable[[str, str], str]
    #: Who it is with: a name (found or added when created) or, for a check-in, a known person.
    #: Neither: asked in the terminal.
    person: str | None = None
    person_row: sqlite3.Row | None = None
    #: ``--new-person``: a name near a stored one is someone new, not a question.
    new_person: bool = False
    store_kwargs: dict[str, Any] = field(default_factory=dict)
    #: Where given answers came from (``'answers-file'``, ``'prep'``), by question id.
    sources: Mapping[str, str] = field(default_factory=dict)
    #: Prepared answers to offer in the terminal (see :mod:`topcli.prep_use`).
    prepared: Prepared | None = None


def finish(store: Store, session: Session) -> None:
    """What completing a conversation does besides marking it complete, by its kind."""
    if session.kind == "checkin":
        from topcli.checkin_outcome import apply_outcome

        apply_outcome(store, session.id)


def runner(store: Store, prompter: Prompter, today: date) -> SessionRunner:
    """The session runner, finishing each kind of conversation as it should be finished."""
    return SessionRunner(store, prompter, today, on_finish=finish)


def hold(
    new: NewConversation,
    today: date,
    *,
    interactive: bool,
    store: Store | None = None,
    on_ready: Callable[[], None] | None = None,
) -> Session:
    """Check the given answers, create the conversation and run it: every start's last steps.

    ``on_ready`` runs once everything is checked and before the first question (the CLI prints
    plugin warnings there, so a leader hears of a skipped plugin before, not after, the
    conversation). Without ``store`` one is opened only then, so a refused start creates no
    data folder.
    """
    from topcli.answers_file import prepare_answers
    from topcli.errors import MissingAnswersError
    from topcli.prompts import ScriptedPrompter, TerminalPrompter

    parsed, missing = prepare_answers(
        [q for _, q in new.framework.questions()],
        new.given,
        today,
        source=new.answers_file or "answers",
    )
    terminal = TerminalPrompter(today) if interactive else None
    known = new.person_row is not None or bool(new.person)
    if terminal is None:
        names = [f"{q.id}: {q.prompt}" for q in missing]
        if not known:
            names.insert(0, "person: who the conversation is with")
        if names:
            if new.person_row is None and new.person:
                # a near-duplicate name is the first thing to fix: refuse it before the answers
                _check_person(new, store)
            raise MissingAnswersError(names, hint=new.missing_hint)
    if on_ready is not None:
        on_ready()
    store = store if store is not None else Store()
    row, name = new.person_row, new.person or ""
    if row is None:
        # the person step: an exact name is that person; a near one is asked about (or
        # refused without a terminal) rather than silently made a second person
        from topcli.people_admin import person_for_conversation

        row, name = person_for_conversation(store, new.person, terminal, new_person=new.new_person)
    with store.transaction():
        row = row if row is not None else store.person_for_new_session(name)
        session_id = create_with_answers(
            store, row["id"], new.framework, parsed, sources=new.sources, **new.store_kwargs
        )
    if terminal is not None:
        terminal.console.print(new.intro(session_id, row["name"]) + _SAVED_AS_YOU_GO)
    if terminal is None or new.prepared is None:
        return runner(store, terminal or ScriptedPrompter({}), today).run(session_id)
    from topcli.prep_use import PreparedPrompter

    prompter = PreparedPrompter(terminal, new.prepared)
    try:
        runner(store, prompter, today).run(session_id)
    finally:
        # kept as prepared, also when paused: 'sessions show' and the export say so
        store.mark_source(session_id, sorted(prompter.kept), "prep")
    return store.load(session_id)


def _check_person(new: NewConversation, store: Store | None) -> None:
    """Without a terminal, refuse a name close to a stored person's (or ``--new-person`` with a
    taken name) before listing missing answers: fixing those first would only lead to this.

    Without a database yet there is no one to be near, and none is created (a refused start
    leaves no data folder).
    """
    from topcli.people_admin import person_for_conversation
    from topcli.store import DB_NAME, data_dir

    if store is None and not (data_dir() / DB_NAME).exists():
        return
    opened = store if store is not None else Store()
    try:
        person_for_conversation(opened, new.person, None, new_person=new.new_person)
    finally:
        if store is None:
            opened.close()


def create_with_answers(
    store: Store,
    person_id: str,
    framework: Framework,
    given: dict[str, Any],
    *,
    sources: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> str:
    """Create a session holding the (already checked) answers from an answers file.

    They are kept at once, in the same transaction as the session, so a pause at the first
    question the file leaves open loses none of them, and ``topcli resume`` asks only what is
    still missing. ``sources`` records where answers came from (an answers file, the person's
    preparation). ``kwargs`` go to :meth:`Store.create_session` (kind, previous_id).
    """
    sources = sources or {}
    with store.transaction():
        session_id = store.create_session(person_id, framework, **kwargs)
        for _, question in framework.questions():
            if question.id in given:
                store.save_answer(
                    session_id, question, given[question.id], source=sources.get(question.id)
                )
    return session_id


def _prepare(
    prep_file: str | None,
    framework: Framework,
    person: str | None,
    given: Mapping[str, Any],
    *,
    interactive: bool,
    answers_file: str | None,
    force: bool,
    today: date,
    base: Framework | None = None,
) -> tuple[Mapping[str, Any], dict[str, str], Prepared | None, str | None]:
    """Bring a preparation sheet in (``--prep``): the answers to start with, where each came
    from, what to offer in the terminal, and who the sheet says prepared it.

    ``base`` is the framework a check-in revisits (the sheet was written from it). Refusals
    (an empty or unreadable sheet, one for someone else that is not accepted) come here,
    before anything is created.
    """
    from topcli import prep_use

    if not prep_file:
        answers, sources, _ = prep_use.merge(None, given, as_given=True)
        return answers, sources, None, None
    prepared, mismatches = prep_use.read(prep_file, base or framework, person)
    prep_use.accept(prep_file, mismatches, interactive=interactive, force=force, today=today)
    if base is not None:
        prepared = prep_use.for_checkin(prepared, base, framework)
    as_given = not interactive or answers_file is not None
    prep_use.report(prepared, interactive=interactive)
    answers, sources, offered = prep_use.merge(prepared, given, as_given=as_given)
    if interactive and offered is None:
        # the prepared answers are given; what is not usable as written is still shown
        offered = prep_use.Prepared(
            source=prepared.source,
            person=prepared.person,
            unparsed=prepared.unparsed,
            notes=prepared.notes,
        )
    return answers, sources, offered, prepared.person


def _escape(text: str) -> str:
    """Stored text for a rich markup template: shown, never obeyed (see topcli.safetext)."""
    from topcli.safetext import printable_markup

    return printable_markup(text)


# --------------------------------------------------------------------------- the two starts


def start_session(request: StartRequest, on_ready: Callable[[], None] | None = None) -> Session:
    """``topcli start``: resolve the framework, then :func:`hold` the conversation."""
    from topcli import clock
    from topcli.catalog import looks_like_path, resolve_framework, with_plugin_questions
    from topcli.loader import load_answers_file

    today = clock.today()
    given: dict[str, Any] = {"person": None, "framework": None, "answers": {}}
    if request.answers_file:
        given = load_answers_file(request.answers_file)
    framework_ref = request.framework
    if framework_ref is None and given.get("framework"):
        framework_ref = str(given["framework"])
        if looks_like_path(framework_ref) and request.answers_file:
            # a path in an answers file is relative to that file, wherever topcli runs from
            framework_ref = str(Path(request.answers_file).parent / framework_ref)
    if framework_ref is None and request.prep_file:
        from topcli.prep_use import sheet_framework

        framework_ref = sheet_framework(request.prep_file)  # the one it was prepared with
    framework = with_plugin_questions(resolve_framework(framework_ref))
    person = request.person or (str(given["person"]) if given.get("person") else None)
    answers, sources, prepared, sheet_person = _prepare(
        request.prep_file,
        framework,
        person,
        given["answers"],
        interactive=request.interactive,
        answers_file=request.answers_file,
        force=request.force,
        today=today,
    )
    person = person or sheet_person

    def intro(session_id: str, name: str) -> str:
        return (
            f"Conversation [bold]{session_id}[/bold] with {_escape(name)} "
            f"({_escape(framework.name)} {_escape(framework.version)})."
        )

    new = NewConversation(
        framework=framework,
        given=answers,
        answers_file=request.answers_file,
        missing_hint="answer them in an answers file (--answers FILE, see docs/frameworks.md) "
        "or run 'topcli start' in a terminal",
        intro=intro,
        person=person,
        new_person=request.new_person,
        sources=sources,
        prepared=prepared,
    )
    return hold(new, today, interactive=request.interactive, on_ready=on_ready)


def start_checkin(
    store: Store,
    person: sqlite3.Row,
    *,
    answers_file: str | None = None,
    interactive: bool = True,
    prep_file: str | None = None,
    force: bool = False,
) -> Session:
    """``topcli checkin``: build the check-in from the person's last plan, then :func:`hold` it."""
    from topcli import clock
    from topcli.catalog import with_plugin_questions
    from topcli.checkin import build_checkin_framework, check_answers_file, checkin_basis
    from topcli.loader import load_answers_file
    from topcli.validation import framework_from_data

    today = clock.today()
    basis = checkin_basis(store, person)
    framework = with_plugin_questions(build_checkin_framework(basis, today))
    # the session reloads its framework from this snapshot: prove now that it will
    framework_from_data(framework.to_dict())
    given: dict[str, Any] = {"person": None, "framework": None, "answers": {}}
    if answers_file:
        given = load_answers_file(answers_file)
        check_answers_file(store, given, person, answers_file)
    if prep_file and basis.base is None:
        from topcli.errors import UsageError

        raise UsageError(
            f"this check-in revisits no stages, so {prep_file} cannot be brought in",
            hint="hold it without --prep",
        )
    answers, sources, prepared, _ = _prepare(
        prep_file,
        framework,
        person["name"],
        given["answers"],
        interactive=interactive,
        answers_file=answers_file,
        force=force,
        today=today,
        base=basis.base.framework if basis.base is not None else None,
    )
    reviewed = plural(len(basis.open_actions), "open action")
    last = basis.previous.started_at[:10]

    def intro(session_id: str, name: str) -> str:
        return (
            f"Check-in [bold]{session_id}[/bold] with {_escape(name)}, following "
            f"the conversation of {last}: {reviewed} to review."
        )

    new = NewConversation(
        framework=framework,
        given=answers,
        answers_file=answers_file,
        missing_hint="answer them in an answers file (--answers FILE) or run 'topcli checkin' "
        "in a terminal",
        intro=intro,
        person_row=person,
        store_kwargs={"kind": "checkin", "previous_id": basis.previous.id},
        sources=sources,
        prepared=prepared,
    )
    return hold(new, today, interactive=interactive, store=store)


# --------------------------------------------------------------------------- resuming


def resume_session(session_id: str | None, interactive: bool) -> tuple[Session, bool]:
    """Continue a conversation at its first unanswered question.

    Returns the session and whether it was already complete (nothing was asked).
    """
    from topcli import clock
    from topcli.answers_file import prepare_answers
    from topcli.errors import MissingAnswersError, NotFoundError
    from topcli.prompts import ScriptedPrompter, TerminalPrompter

    store = Store()
    if session_id is None:
        row = store.latest_session_row(status="in_progress")
        if row is None:
            raise NotFoundError(
                "there is no conversation in progress to resume",
                hint="start one with: topcli start",
            )
        session_id = row["id"]
    session = store.load(session_id)
    if session.is_complete:
        return session, True
    today = clock.today()
    if not interactive:
        # only what must be typed stops it: optional questions and defaults need no one
        _, missing = prepare_answers(
            [q for _, q in session.framework.questions()],
            {},
            today,
            source="resume",
            answered=session.answers,
        )
        if missing:
            raise MissingAnswersError(
                [f"{q.id}: {q.prompt}" for q in missing],
                hint=f"run 'topcli resume {session.id}' in a terminal to answer them",
            )
        return runner(store, ScriptedPrompter({}), today).run(session.id), False
    terminal = TerminalPrompter(today)
    terminal.console.print(
        f"Resuming conversation [bold]{session.id}[/bold] with {_escape(session.person_name)}: "
        f"{plural(len(session.answers), 'answer')} already saved."
    )
    return runner(store, terminal, today).run(session.id), False
