"""Changing an action after its conversation: close it (done, dropped) or add a dated note.

Each change reads the one action it is about (:meth:`~topcli.store.Store.action`, a few indexed
lookups), never the conversations around it, so it costs the same in any size of store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from topcli.errors import UsageError
from topcli.people import ActionItem
from topcli.store import Store


def find_action(store: Store, action_id: str) -> ActionItem:
    """An action by id, or a unique start of one, with its person and conversation.

    An unknown id is a :class:`NotFoundError` naming the list command; a start that several
    ids share is a :class:`UsageError` listing them. The item's action also carries
    ``carried_to``: the id of the action it was carried over to, if any.
    """
    return ActionItem.from_row(store.action(action_id.strip(), prefix=True))


def close_action(store: Store, action_id: str, status: str, note: str = "") -> ActionItem:
    """Mark an action ``done`` or ``dropped`` with an optional dated note; return it updated.

    Refused: the status it already has, and actions carried over to a later plan (the
    message names the open copy to mark instead). ``done`` and ``dropped`` can replace each
    other, to correct a mistake.
    """
    item = find_action(store, action_id)
    current = item.status
    if current == status:
        since = _status_since(item.action, status)
        raise UsageError(
            f"action {item.id} ('{item.action['what']}') is already {status}{since}",
            hint=f"add a note instead: topcli actions note {item.id} TEXT",
        )
    if current == "carried":
        later = item.action["carried_to"]
        where = f" as action {later}" if later else ""
        raise UsageError(
            f"action {item.id} ('{item.action['what']}') was carried over to a later plan{where}",
            hint=f"mark that one instead: topcli actions {_verb(status)} {later}"
            if later
            else "'topcli actions list' shows the open actions",
        )
    store.set_action_status(item.id, status, note=note.strip())
    return find_action(store, item.id)


def note_action(store: Store, action_id: str, text: str) -> ActionItem:
    """Add a dated note to an action without changing its status."""
    if not text.strip():
        raise UsageError("the note is empty", hint="e.g. topcli actions note ID 'Booked for May'")
    item = find_action(store, action_id)
    store.add_action_note(item.id, text.strip())
    return find_action(store, item.id)


def _verb(status: str) -> str:
    return "drop" if status == "dropped" else status


def _status_since(action: Mapping[str, Any], status: str) -> str:
    dated = [n for n in action["notes"] if n["status"] == status]
    return f" (since {dated[-1]['at'][:10]})" if dated else ""
