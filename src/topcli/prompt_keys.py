"""topcli's own keys on questionary prompts: go back, no stray exits, the editor.

questionary has no back key (its issue #81) and lets prompt_toolkit's Emacs binding for
Esc-Enter end a list, checkbox or yes/no question with an empty answer. :func:`keyed` adds, to
the prompt_toolkit application inside a questionary question, bindings that take priority over
both (an application's own bindings outrank prompt_toolkit's defaults):

* **PageUp**, and **Alt-Up** for terminals without PageUp, leave the prompt with :class:`GoBack`.
  Alt-Up arrives as Esc followed by Up however the terminal sends it (``ESC [1;3A``, or ESC
  before ``ESC [A`` with "meta sends escape"), so it is also typed as *Esc then Up* where Alt
  does nothing. No prompt type binds that pair: lists and checkboxes use Up alone, text
  prompts bind no Alt-arrow, and Ctrl-Up is taken by macOS (Mission Control).
* **Esc** and **Esc-Enter** on a list, checkbox or yes/no question keep it open and say, in a
  line under the prompt, which keys answer it.
* **Ctrl-X Ctrl-E** (the readline and bash key) in a multi-line prompt leaves it with
  :class:`OpenEditor`: the prompter runs the editor outside prompt_toolkit and asks again with
  the edited text. Leaving the application (rather than ``run_in_terminal`` inside it) means
  keys typed after the editor closes reach the prompt that shows the edited text, in a terminal
  and with piped keys alike; the prompt is erased first so it is not shown twice.
* **Alt-N**, typed as *Esc then n* where Alt does nothing (macOS Option-N is a dead key), leaves
  any question of a conversation with :class:`AddNote`, carrying what was typed so far; the
  prompter then asks for a private note and the runner asks the question again. No prompt
  type binds Esc-n: Ctrl-N moves down in lists and checkboxes and is "next line" in text,
  Ctrl-T transposes characters, and prompt_toolkit's Emacs keys use Esc with b c d f l t u y
  but not n; a yes/no question takes n alone, never after Esc. It is on only while the session
  runner asks (:func:`taking_notes`): a question asked again by ``sessions edit`` has no stage
  to keep a note in.

prompt_toolkit is imported inside :func:`keyed` only, so importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

#: The back keys as shown to a person.
BACK_KEYS = "PageUp or Alt-Up (Esc then Up)"
#: The private-note key as shown to a person.
NOTE_KEY = "Alt-N (Esc then n)"
#: Shown once, as a conversation starts.
KEYS_HINT = (
    f"Keys: {BACK_KEYS} goes back to the previous question; "
    f"{NOTE_KEY} adds a private note; "
    "Ctrl-C pauses (continue later with 'topcli resume')."
)
#: The multi-line prompt's instruction: short lines, so a narrow terminal shows them whole.
LONG_TEXT_HINT = (
    "(several lines; Esc then Enter to finish)\n"
    "  (Ctrl-X Ctrl-E: your editor; PageUp or Alt-Up: go back)\n"
    f"  ({NOTE_KEY}: a private note)"
)
#: The private note's own instruction: it has the editor key, and no back or note key.
NOTE_HINT = "(several lines; Esc then Enter to finish; Ctrl-X Ctrl-E: your editor)"

#: Whether the session runner is asking, and so handles :class:`AddNote`.
_TAKING_NOTES: ContextVar[bool] = ContextVar("topcli_taking_notes", default=False)


@contextmanager
def taking_notes() -> Iterator[None]:
    """The note key works on the prompts asked inside (the runner's, which keeps the note)."""
    token = _TAKING_NOTES.set(True)
    try:
        yield
    finally:
        _TAKING_NOTES.reset(token)


def long_text_hint() -> str:
    """The multi-line instruction, naming the note key only where it works."""
    return LONG_TEXT_HINT if _TAKING_NOTES.get() else LONG_TEXT_HINT.rsplit("\n", 1)[0]


def ctrl_c_does() -> str:
    """What Ctrl-C does at this prompt: a conversation pauses (to resume later); any other
    question (a delete's confirmation, ``sessions edit``) is cancelled, with nothing changed."""
    return "Ctrl-C pauses" if _TAKING_NOTES.get() else "Ctrl-C cancels"


def keep_key(question_type: str) -> str:
    """The key that accepts the answer already in a prompt, as shown to a person.

    A multi-line answer takes Enter as a new line, so it is kept with Esc then Enter; every
    other prompt (text, list, checkbox, yes/no, date, number) is answered by Enter.
    """
    return "Esc then Enter" if question_type == "long_text" else "Enter"


#: What Esc or Esc-Enter says on each kind of prompt that cannot be finished with them.
_STRAY = {
    "select": "Esc does not answer this: pick with Up/Down and Enter",
    "checkbox": "Esc does not answer this: Space ticks, Enter when done",
    "confirm": "Esc does not answer this: press y or n, or Enter for the default",
}


class GoBack(Exception):
    """The person pressed a back key: ask the previous question again.

    Not a :class:`topcli.errors.TopcliError`: it never reaches the error handler, because only
    prompts asked for the session runner (which handles it) have the back keys.
    """


class AddNote(Exception):
    """The person pressed the note key: take a private note, then ask this question again.

    ``typed`` is what the question held when the key was pressed (the text typed, the choice
    pointed at, the boxes ticked; ``None`` when there is nothing to keep), so nothing typed is
    lost. ``note`` is filled in by the prompter once it has asked for the note.
    """

    def __init__(self, typed: Any = None, note: str = "") -> None:
        super().__init__("a private note")
        self.typed = typed
        self.note = note


@dataclass(frozen=True)
class OpenEditor:
    """The result of a multi-line prompt whose person pressed Ctrl-X Ctrl-E: the text so far."""

    text: str


def keyed(
    prompt: Any,
    *,
    kind: str,
    back: bool = False,
    editor: bool = False,
    notice: str | None = None,
    note: bool = False,
) -> Any:
    """``prompt`` (a questionary ``Question``) with topcli's keys and a line for messages.

    ``kind`` is ``select``, ``checkbox``, ``confirm`` or ``text``; ``back`` adds the back keys
    (only for prompts whose caller handles :class:`GoBack`); ``editor`` adds Ctrl-X Ctrl-E;
    ``note`` adds Alt-N (inside :func:`taking_notes` only, where the runner handles
    :class:`AddNote`);
    ``notice`` is shown under the prompt from the start (why the editor did not open).
    """
    from prompt_toolkit.filters import Condition, is_done
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    app = prompt.application
    message = [notice or ""]
    bindings = KeyBindings()

    def say(text: str) -> None:
        message[0] = text

    stray = _STRAY.get(kind)
    if stray is not None:
        hint = stray + (f"; {BACK_KEYS} goes back" if back else "") + "; " + ctrl_c_does()

        # not eager: Esc waits to see whether Enter or Up follows
        @bindings.add("escape")
        @bindings.add("escape", "enter")
        def _stray(event: KeyPressEvent) -> None:
            say(hint)

    if back:

        @bindings.add("pageup", eager=True)
        @bindings.add("escape", "up", eager=True)
        def _back(event: KeyPressEvent) -> None:
            # the question left unanswered is taken off the screen: it comes again later
            event.app.erase_when_done = True
            event.app.exit(exception=GoBack())

    if note and _TAKING_NOTES.get():

        @bindings.add("escape", "n", eager=True)
        def _note(event: KeyPressEvent) -> None:
            event.app.erase_when_done = True
            event.app.exit(exception=AddNote(typed_so_far(event.app, kind)))

    if editor:

        @bindings.add("c-x", "c-e", eager=True)
        def _edit(event: KeyPressEvent) -> None:
            from topcli.editor import editor_command
            from topcli.errors import TopcliError

            try:
                editor_command()
            except TopcliError as exc:  # no editor set, or a broken config file
                say(describe(exc))
                return
            event.app.erase_when_done = True
            event.app.exit(result=OpenEditor(event.app.current_buffer.text))

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])

    # a message lasts until the next key
    def clear(_: object) -> None:
        message[0] = ""

    app.key_processor.before_key_press += clear
    line = ConditionalContainer(
        Window(
            FormattedTextControl(lambda: [("class:validation-toolbar", message[0])]),
            wrap_lines=True,
            dont_extend_height=True,
        ),
        filter=Condition(lambda: bool(message[0])) & ~is_done,
    )
    old = app.layout
    app.layout = Layout(HSplit([old.container, line]), focused_element=old.current_window)
    return prompt


def typed_so_far(app: Any, kind: str) -> Any:
    """What a prompt holds now: its text, the choice pointed at, or the boxes ticked.

    A list or checkbox keeps its state in questionary's ``InquirerControl``; a yes/no question
    holds nothing until it is answered (``None``: its default stays).
    """
    if kind == "text":
        return app.current_buffer.text
    if kind not in ("select", "checkbox"):
        return None
    for window in app.layout.find_all_windows():
        control = window.content
        if hasattr(control, "selected_options") and hasattr(control, "get_pointed_at"):
            if kind == "checkbox":
                return list(control.selected_options)
            return control.get_pointed_at().value
    return None


def describe(exc: Any) -> str:
    """An error's message and hint on one line, for a prompt's message line."""
    return exc.message + (f" ({exc.hint})" if exc.hint else "")
