"""Follow-through commands: ``actions``, ``followup``, ``checkin``, ``people``, ``history``.

One module per command group (:mod:`topcli.cli.actions`, :mod:`topcli.cli.followup`,
:mod:`topcli.cli.checkin`, :mod:`topcli.cli.people`, :mod:`topcli.cli.history`), joined here in
the order ``topcli --help`` lists them.
"""

from __future__ import annotations

import typer

from topcli.cli import actions, checkin, followup, history, people


def register(app: typer.Typer) -> None:
    """Add the follow-through commands to the root app."""
    app.add_typer(actions.app, name="actions")
    followup.register(app)
    checkin.register(app)
    app.add_typer(people.app, name="people")
    history.register(app)
