"""The private note a leader adds with the note key (Alt-N) at any question of a conversation.

The question's prompt has already closed with :class:`topcli.prompt_keys.AddNote`; this asks for
the note in a multi-line prompt of its own (the editor key works there too) and returns it. Where
the note is kept is the runner's business (:mod:`topcli.runner`); this module only asks. It has
no back key and no note key: Esc then Enter with nothing typed simply adds no note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from topcli.prompt_keys import NOTE_HINT, OpenEditor, describe

if TYPE_CHECKING:  # prompts imports this module when the note key is pressed
    from topcli.prompts import TerminalPrompter

#: The note prompt: says at once where the note will never go.
NOTE_PROMPT = "Private note (never in a shared export):"


def ask_note(prompter: TerminalPrompter) -> str:
    """The note typed (surrounding blank space removed); ``""`` adds no note."""
    import questionary

    from topcli.editor import EditorError, edit_text

    text, notice = "", None
    while True:
        prompt = questionary.text(
            NOTE_PROMPT, default=text, multiline=True, instruction=f"\n  {NOTE_HINT}\n>"
        )
        raw = prompter.run_prompt(prompt, kind="text", editor=True, notice=notice)
        if not isinstance(raw, OpenEditor):
            note = str(raw or "").strip()
            said = "Private note kept; back to the question." if note else "No note added."
            prompter.console.print(f"[dim]  {said}[/dim]")
            return note
        try:
            text, notice = edit_text(raw.text, comment=NOTE_PROMPT), None
        except EditorError as exc:  # no editor: the text stays, and why is said under it
            text, notice = raw.text, describe(exc)
