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

prompt_toolkit is imported inside :func:`keyed` only, so importing this module costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The back keys as shown to a person.
BACK_KEYS = "PageUp or Alt-Up (Esc then Up)"
#: Shown once, as a conversation starts.
KEYS_HINT = (
    f"Keys: {BACK_KEYS} goes back to the previous question; "
    "Ctrl-C pauses (continue later with 'topcli resume')."
)
#: The multi-line prompt's instruction: two short lines, so a narrow terminal shows them whole.
LONG_TEXT_HINT = (
    "(several lines; Esc then Enter to finish)\n"
    "  (Ctrl-X Ctrl-E: your editor; PageUp or Alt-Up: go back)"
)

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
) -> Any:
    """``prompt`` (a questionary ``Question``) with topcli's keys and a line for messages.

    ``kind`` is ``select``, ``checkbox``, ``confirm`` or ``text``; ``back`` adds the back keys
    (only for prompts whose caller handles :class:`GoBack`); ``editor`` adds Ctrl-X Ctrl-E;
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
        hint = stray + (f"; {BACK_KEYS} goes back" if back else "") + "; Ctrl-C pauses"

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


def describe(exc: Any) -> str:
    """An error's message and hint on one line, for a prompt's message line."""
    return exc.message + (f" ({exc.hint})" if exc.hint else "")
