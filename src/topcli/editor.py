"""Your own editor for long answers and for the config file.

Which editor, in git's order of precedence (``GIT_EDITOR``, ``core.editor``, ``VISUAL``,
``EDITOR``), translated to topcli:

1. ``TOPCLI_EDITOR``
2. the ``editor`` setting in the config file
3. ``VISUAL``
4. ``EDITOR``

There is no silent fallback to ``vi``: a person who never chose an editor gets an error that says
how to set one, and the caller keeps the text it had. The command is split like a shell would
(``code --wait``, ``"/Applications/My Editor" -w``), the file name is added as the last argument.

:func:`edit_text` writes the text to an owner-only (0600) temporary file, with the question and
instructions in a comment block *below* a scissors line (git's ``--cleanup=scissors``)::

    my answer, which may contain # Markdown headings
    # ------------------------ >8 ------------------------
    # Everything from the line above down is removed.
    # What would you like to be doing in two years?

Everything from the scissors line down is removed on return. Stripping every line that starts
with ``#`` would eat Markdown headings in an answer; the scissors line is unlikely to be typed by
accident, and what is above it comes back exactly. The file is removed afterwards, always.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from topcli.errors import ExitCode, TopcliError

SCISSORS = "# ------------------------ >8 ------------------------"
HOW_TO_SET = (
    "set one with 'topcli config set editor \"nano\"' (or TOPCLI_EDITOR, VISUAL or EDITOR), "
    "e.g. 'code --wait', 'vim' or 'nano'"
)


class EditorError(TopcliError):
    """No editor, an editor that cannot be started, or one that failed; the text is unchanged."""

    exit_code = ExitCode.ERROR


def editor_command(*, strict_config: bool = True) -> tuple[list[str], str]:
    """The editor as an argument list, and where it was chosen (for messages).

    ``strict_config=False`` skips a broken config file (``config edit`` must still open it).
    """
    from topcli.config import resolve

    setting = resolve("editor", strict=strict_config)
    candidates = [(setting.value, setting.source)] if setting.value else []
    candidates += [(os.environ.get(name), f"${name}") for name in ("VISUAL", "EDITOR")]
    for command, source in candidates:
        if command and command.strip():
            try:
                args = shlex.split(command)
            except ValueError as exc:
                raise EditorError(
                    f"the editor command {command!r} (from {source}) cannot be split: {exc}",
                    hint="check its quotes; " + HOW_TO_SET,
                ) from None
            return args, source
    raise EditorError("no editor is set", hint=HOW_TO_SET)


def run_editor(path: Path, *, strict_config: bool = True) -> None:
    """Open ``path`` in the person's editor and wait for it to close."""
    import subprocess

    args, source = editor_command(strict_config=strict_config)
    shown = shlex.join(args)
    try:
        result = subprocess.run([*args, str(path)], check=False)
    except FileNotFoundError:
        raise EditorError(
            f"the editor '{args[0]}' (from {source}) was not found", hint=HOW_TO_SET
        ) from None
    except PermissionError:
        raise EditorError(
            f"the editor '{args[0]}' (from {source}) cannot be run: permission denied",
            hint=HOW_TO_SET,
        ) from None
    if result.returncode != 0:
        raise EditorError(
            f"the editor '{shown}' (from {source}) exited with status {result.returncode}; "
            "the text was not changed",
            hint="save and quit normally to keep your edits",
        )


def compose(text: str, comment: str | None) -> str:
    """The file the editor shows: the text, then the scissors line and the comment block."""
    body = text if text.endswith("\n") or not text else text + "\n"
    lines = [SCISSORS, "# Everything from the line above down is removed; save and quit to finish."]
    if comment:
        lines += [f"# {line}".rstrip() for line in comment.splitlines()]
    return body + "\n".join(lines) + "\n"


def strip_comments(edited: str) -> str:
    """What the person wrote: everything above the scissors line, trailing blank space removed."""
    edited = edited.replace("\r\n", "\n")
    lines = edited.split("\n")
    if SCISSORS in lines:
        lines = lines[: lines.index(SCISSORS)]
    return "\n".join(lines).rstrip()


def edit_text(text: str, *, comment: str | None = None, suffix: str = ".md") -> str:
    """Let the person edit ``text`` in their editor; returns the new text.

    ``comment`` (e.g. the question) is shown below the scissors line and never returned.
    Raises :class:`EditorError` when there is no editor, it cannot start or exits non-zero: the
    caller keeps ``text``. The temporary file is created 0600 and removed in every case.
    """
    import tempfile

    fd, name = tempfile.mkstemp(prefix="topcli-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(compose(text, comment))
        run_editor(path)
        try:
            edited = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise EditorError("the editor removed the file; the text was not changed") from None
        except UnicodeDecodeError:
            raise EditorError(
                "the editor saved the file in an encoding other than UTF-8; "
                "the text was not changed",
                hint="save as UTF-8",
            ) from None
        return strip_comments(edited)
    finally:
        path.unlink(missing_ok=True)
