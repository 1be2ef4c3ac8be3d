"""Adds the team-retro framework: topcli start --framework team-retro."""

from pathlib import Path

from topcli import hookimpl


@hookimpl
def register_frameworks(register):
    register(Path(__file__).with_name("team-retro.yaml"))
