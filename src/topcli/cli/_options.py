"""Options that mean the same on every command that has them, declared once.

One name for one idea (README, "One name for one idea"): ``--framework``, ``--output``/``--force``,
``--stage``, ``--yaml``, ``--prep`` and its ``--force`` are built here, so a command cannot drift
from the others in spelling, short flag, metavar or completion.
"""

from __future__ import annotations

from typing import Any

import typer

from topcli import completion


def framework_option(show_default: str = "top, or the 'framework' setting") -> Any:
    """``--framework ID|PATH`` (``-f``), completing framework ids."""
    return typer.Option(
        None,
        "--framework",
        "-f",
        help="Framework id (top, grow, ...) or path to a YAML file.",
        show_default=show_default,
        metavar="ID|PATH",
        autocompletion=completion.framework_ids,
    )


def output_option(
    help_text: str = "Write to this file (mode 0600) instead of standard output.",
) -> Any:
    """``--output FILE`` (``-o``): a file readable by its owner only."""
    return typer.Option(None, "--output", "-o", help=help_text, metavar="FILE")


def force_option() -> Any:
    """``--force``: overwrite the ``--output`` file."""
    return typer.Option(
        False, "--force", help="Overwrite the output file if it exists.", metavar=""
    )


def stage_option(help_text: str) -> Any:
    """``--stage ID`` (``-s``), repeatable; the preparation stages by default."""
    return typer.Option(
        None,
        "--stage",
        "-s",
        help=help_text,
        show_default="the stages before the plan: think, opportunities",
        metavar="ID",
    )


def yaml_option() -> Any:
    """``--yaml``: a preparation sheet as a ready answers file."""
    return typer.Option(
        False, "--yaml", help="YAML: an answers file with each question as a comment.", metavar=""
    )


def prep_option() -> Any:
    """``--prep FILE``: a filled-in preparation sheet brought into a conversation."""
    return typer.Option(
        None,
        "--prep",
        help="A filled-in preparation sheet (topcli prep / reflect): each prepared answer is "
        "offered to keep or edit; without a terminal it counts as given.",
        metavar="FILE",
    )


def prep_force_option() -> Any:
    """``--force`` beside ``--prep``: use a sheet meant for someone or something else."""
    return typer.Option(
        False,
        "--force",
        help="Use a --prep sheet written for another person or framework without asking.",
        metavar="",
    )


def json_option() -> Any:
    """``--json``: the structured form, for scripts."""
    return typer.Option(False, "--json", help="Machine-readable output.", metavar="")


def plain_option(help_text: str = "Tab-separated lines, as when piped.") -> Any:
    """``--plain``: a listing as tab-separated lines even in a terminal (see topcli.output)."""
    return typer.Option(False, "--plain", help=help_text, metavar="")


def no_pager_option() -> Any:
    """``--no-pager``: long output straight to the terminal."""
    return typer.Option(False, "--no-pager", help="Do not page long output.", metavar="")


def person_argument(help_text: str, metavar: str = "NAME") -> Any:
    """The optional person argument beside ``--person`` (``topcli history NAME``), completing
    names."""
    return typer.Argument(
        None,
        help=help_text,
        metavar=metavar,
        autocompletion=completion.person_names,
        show_default=False,
    )


def action_id_argument(*, open_only: bool) -> Any:
    """An action id (a unique start is enough), completing open actions or every action."""
    return typer.Argument(
        ...,
        metavar="ID",
        help="Action id; a unique start is enough (see 'actions list').",
        autocompletion=completion.open_action_ids if open_only else completion.action_ids,
    )
