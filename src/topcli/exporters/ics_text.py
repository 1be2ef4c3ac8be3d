"""The text of the calendar events: the plan summary of a follow-up, and one action.

Plain text (icalendar escapes it), kept apart from :mod:`topcli.exporters.ics`, which builds
and streams the calendar itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from topcli.session import Session


def followup_description(session: Session) -> str:
    """The plan summary, for the follow-up event: what was agreed and when."""
    framework = session.framework
    lines = [
        f"Follow-up career conversation with {session.person_name}, to review the plan agreed "
        f"on {session.started_at[:10]} ({framework.name} {framework.version}).",
    ]
    if session.actions:
        lines += ["", "Actions:"]
        for n, action in enumerate(session.actions, start=1):
            status = "" if action["status"] == "open" else f" [{action['status']}]"
            lines.append(f"{n}. {action['what']} (by {action['due']}){status}")
            if action["success"]:
                lines.append(f"   Success measure: {action['success']}")
            if action["support"]:
                lines.append(f"   Support: {action['support']}")
    else:
        lines += ["", "No actions were agreed."]
    lines += ["", f"topcli conversation {session.id}: topcli sessions show {session.id}"]
    return "\n".join(lines)


def action_description(session: Session, action: dict[str, Any]) -> str:
    """One action: what, by when, how we'll know it worked, and the support agreed."""
    lines = [
        action["what"],
        "",
        f"Due: {action['due']}",
        f"Success measure: {action['success'] or '(not set)'}",
        f"Support: {action['support'] or '(none)'}",
        f"Status: {action['status']}",
    ]
    if action["notes"]:
        note = action["notes"][-1]
        if note["text"]:
            lines.append(f"Latest note ({note['at'][:10]}): {note['text']}")
    lines += [
        "",
        f"From the career conversation with {session.person_name} on "
        f"{session.started_at[:10]} (topcli conversation {session.id}, action {action['id']}).",
    ]
    return "\n".join(lines)
