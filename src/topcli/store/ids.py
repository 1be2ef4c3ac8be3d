"""Ids: random short hex for conversations and actions, readable slugs for people."""

from __future__ import annotations

import re
import secrets
import unicodedata


def new_id(nbytes: int = 4) -> str:
    return secrets.token_hex(nbytes)


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "person"
