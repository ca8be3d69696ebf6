"""Conversations kept in the data dir, one folder per owner: a browser, or a login with `--auth`.

A browser is known by a random token kept in its own storage (Gradio's `BrowserState`, encrypted
with a secret of this data dir); with `--auth` the owner is the login name, so a user finds the
same conversations in any browser. An owner's folder is named by a hash of "browser:TOKEN" or
"user:NAME": nobody can list, open or delete another owner's conversations, whose names are
never shown to anyone else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.models import Agreement, Answer, Citation, Passage

_ID = re.compile(r"^[0-9a-f]{32}$")
LISTED = 50  # conversations in the history list, newest first
LABEL_CHARS = 60


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation: the question and its answer or error."""

    question: str
    answer: Answer | None = None
    error: str | None = None


def new_token() -> str:
    """A browser's random token: 128 bits, unguessable."""
    return secrets.token_hex(16)


def owner_of(username: str | None, token: str | None) -> str | None:
    """Who owns the conversations of a session: the login when there is one, else the browser."""
    if username:
        return f"user:{username}"
    if token and re.fullmatch(r"[0-9a-f]{32}", token):
        return f"browser:{token}"
    return None


def browser_secret(data_dir: Path) -> str:
    """The secret that encrypts browser tokens: random, made once per data dir (mode 600)."""
    path = Path(data_dir) / "web-secret"
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


class Conversations:
    """Each owner's saved conversations, as JSON files under `folder/<hash of owner>/<id>.json`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, owner: str, conversation: str | None, turns: list[Turn]) -> str:
        """Write `turns` as `conversation` (a new id when None); its id."""
        conversation = conversation if conversation and _ID.match(conversation) else uuid.uuid4().hex
        directory = self._directory(owner)
        directory.mkdir(parents=True, exist_ok=True)
        data = json.dumps([_turn_dict(t) for t in turns], ensure_ascii=False).encode("utf-8")
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, directory / f"{conversation}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return conversation

    def listing(self, owner: str) -> list[tuple[str, str]]:
        """(label, id) of the owner's conversations, newest first: the first question names each."""
        directory = self._directory(owner)
        files = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        listed = []
        for path in files[:LISTED]:
            turns = self.load(owner, path.stem)
            if turns:
                first = " ".join(turns[0].question.split())
                if len(first) > LABEL_CHARS:
                    first = first[: LABEL_CHARS - 1] + "…"
                listed.append((f"{first} ({len(turns)} question{'s' if len(turns) > 1 else ''})", path.stem))
        return listed

    def load(self, owner: str, conversation: str | None) -> list[Turn]:
        """The turns of one of the owner's conversations; [] when there is none such."""
        if not conversation or not _ID.match(conversation):
            return []
        try:
            raw = json.loads((self._directory(owner) / f"{conversation}.json").read_text("utf-8"))
            return [_turn_of(item) for item in raw]
        except (OSError, ValueError, TypeError, KeyError):
            return []

    def delete(self, owner: str, conversation: str | None) -> None:
        """Delete one of the owner's conversations (nothing when it is not theirs)."""
        if conversation and _ID.match(conversation):
            (self._directory(owner) / f"{conversation}.json").unlink(missing_ok=True)

    def _directory(self, owner: str) -> Path:
        return self.folder / hashlib.sha256(owner.encode("utf-8")).hexdigest()[:32]


def _turn_dict(turn: Turn) -> dict[str, Any]:
    answer = asdict(turn.answer) if turn.answer is not None else None
    return {"question": turn.question, "answer": answer, "error": turn.error}


def _turn_of(item: dict[str, Any]) -> Turn:
    """A saved turn, its Answer rebuilt field by field."""
    data = item.get("answer")
    if data is None:
        return Turn(str(item["question"]), error=item.get("error"))
    answer = Answer(
        question=data["question"],
        body=data["body"],
        citations=[Citation(**c) for c in data["citations"]],
        passages=[Passage(**{**p, "page_starts": tuple(p.get("page_starts", ()))}) for p in data["passages"]],
        grounded=bool(data["grounded"]),
        unsupported=list(data["unsupported"]),
        mode=str(data["mode"]),
        agreements=[Agreement(**a) for a in data.get("agreements", [])],
    )
    return Turn(str(item["question"]), answer=answer)
