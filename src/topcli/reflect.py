"""``topcli reflect``: prepare for your own career conversation with topcli itself.

The person owns their career: rather than filling in a sheet someone sent, they can answer the
preparation questions (the stages before the plan: Think and Opportunities for TOP) in a
guided conversation with themselves. It is held like any other (saved as you go, paused with
Ctrl-C, continued with ``topcli resume``), stored in their own store as a conversation of kind
``reflection``, and ends by writing the very sheet ``topcli prep`` writes, filled in, to send to
whoever holds the conversation (who reads it with ``topcli start --prep``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from topcli.framework import Framework, Question, Stage

if TYPE_CHECKING:
    from topcli.session import Session

KIND = "reflection"


def reflection_framework(framework: Framework, stages: Sequence[Stage]) -> Framework:
    """The framework as far as a preparation sheet goes: the chosen stages, the questions a
    sheet holds (no leader's private notes, no actions or follow-up). Same id and version, so
    the sheet written from it is read against the framework the conversation will use."""
    from topcli.prep import on_sheet, stage_purpose

    # the person holds this conversation with themselves: each stage's purpose speaks to them
    kept = tuple(
        replace(
            stage,
            purpose=stage_purpose(stage),
            questions=tuple(q for q in stage.questions if on_sheet(q)),
        )
        for stage in stages
    )
    return replace(framework, stages=tuple(s for s in kept if s.questions))


def your_name(flag: str | None, *, interactive: bool) -> str:
    """Who the sheet is from: ``--name``, else the config's ``leader``, else asked."""
    from topcli import clock, config
    from topcli.errors import UsageError
    from topcli.prompts import TerminalPrompter, interrupts

    name = flag or config.value("leader")
    if name:
        return " ".join(name.split())
    if not interactive:
        raise UsageError(
            "reflect needs your name for the sheet",
            hint="give --name NAME, or set it once: topcli config set leader 'Your Name'",
        )
    question = Question(id="your_name", prompt="Your name, as it goes on the sheet?")
    with interrupts("nothing was saved yet (no reflection started)"):
        return str(TerminalPrompter(clock.today()).ask(question, None))


def hold_reflection(
    framework: Framework, stages: Sequence[Stage], name: str, *, interactive: bool
) -> Session:
    """Ask the preparation questions, saved as you go, as a reflection with yourself."""
    from topcli import clock
    from topcli.pipeline import NewConversation, hold
    from topcli.safetext import printable_markup
    from topcli.wording import plural

    asked = reflection_framework(framework, stages)
    count = sum(len(s.questions) for s in asked.stages)

    def intro(session_id: str, person: str) -> str:
        return (
            f"Reflection [bold]{session_id}[/bold]: {plural(count, 'question')} to prepare "
            f"your conversation ({printable_markup(framework.name)}). Skip what you would rather "
            "talk about in person; your answers become the sheet to send."
        )

    new = NewConversation(
        framework=asked,
        given={},
        answers_file=None,
        missing_hint="run 'topcli reflect' in a terminal, or fill in the sheet from "
        "'topcli prep YOUR-NAME' in an editor",
        intro=intro,
        person=name,
        store_kwargs={"kind": KIND},
    )
    return hold(new, clock.today(), interactive=interactive)


def sheet_from(session: Session, framework: Framework, fmt: str) -> str:
    """The preparation sheet of a reflection, filled in with its answers."""
    from topcli.prep import write_prep

    stage_ids = {s.id for s in session.framework.stages}
    stages = [s for s in framework.stages if s.id in stage_ids]
    return write_prep(framework, session.person_name, stages, fmt, answers=session.answers)


def stored_reflection(session_id: str) -> tuple[Session, Framework]:
    """An earlier reflection (finished with ``topcli resume``, say) and its framework."""
    from topcli.errors import UsageError
    from topcli.store import Store

    session = Store().load(session_id)
    if session.kind != KIND:
        raise UsageError(
            f"conversation {session.id} is a {session.kind}, not a reflection",
            hint="'topcli sessions list' shows each conversation's kind",
        )
    return session, session.framework
