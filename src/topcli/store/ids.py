"""Ids: random short hex for conversations and actions, readable slugs for people."""

from __future__ import annotations

import os
import re
import unicodedata


def new_id(nbytes: int = 4) -> str:
    # what secrets.token_hex does, without importing secrets (and random, hmac) on start-up
    return os.urandom(nbytes).hex()


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "person"
