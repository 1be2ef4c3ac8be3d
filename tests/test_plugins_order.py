"""The order plugins are called in: topcli's load order, never pluggy's internal list order.

Built-ins first, then entry points, then ``TOPCLI_PLUGINS``; the first plugin to register a
name keeps it. ``tryfirst``/``trylast`` would reorder that silently, so they are refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from plugin_support import UsePlugin, use_plugin
from topcli import catalog, hookimpl
from topcli.exporters import Exporter
from topcli.plugins import get_plugins

__all__ = ["use_plugin"]  # a fixture, imported for pytest


def text_exporter(name: str, description: str) -> Exporter:
    return Exporter(name=name, suffix=".txt", description=description, export=lambda s: "")


def owner(name: str) -> str:
    return catalog.exporters()[name].plugin


@pytest.mark.parametrize("marker", ["trylast", "tryfirst"])
def test_register_exporters_tryfirst_or_trylast_is_refused_and_cannot_take_a_builtin_name(
    use_plugin: UsePlugin, marker: str
) -> None:
    class Reordering:
        @hookimpl(**{marker: True})
        def register_exporters(self, register: Any) -> None:
            register(text_exporter("md", "Not Markdown"))

    use_plugin(Reordering(), "reordering")
    assert owner("md") == "topcli.builtins.exporters"
    assert catalog.exporters()["md"].exporter.description.startswith("Markdown")
    (warning,) = get_plugins().warnings
    assert "plugin 'reordering' (registered by the test)" in warning
    assert f"marks register_exporters {marker}" in warning and "skipped" in warning
    # the built-in is not blamed for a clash it did not cause
    assert "topcli.builtins.exporters' already registered" not in warning


def test_register_exporters_are_called_in_registration_order_not_pluggys(
    use_plugin: UsePlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    class First:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            register(text_exporter("txt", "first"))

    class Second:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            register(text_exporter("txt", "second"))

    use_plugin(First(), "first")
    use_plugin(Second(), "second")
    caller = get_plugins().pm.hook.register_exporters
    # whatever order pluggy keeps its list in, topcli's own records decide
    monkeypatch.setattr(caller, "_hookimpls", list(reversed(caller.get_hookimpls())))
    assert owner("txt") == "first"
    assert list(get_plugins().names()) == [
        "topcli.builtins.frameworks",
        "topcli.builtins.exporters",
        "first",
        "second",
    ]
    (warning,) = get_plugins().warnings
    assert "plugin 'second'" in warning and "but plugin 'first' already registered" in warning
