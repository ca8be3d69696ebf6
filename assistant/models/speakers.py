"""Who is quoted across the collection: one record per person or organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSON = "person"
ORGANISATION = "organisation"
UNNAMED = "unnamed"  # a person the article describes but never names ("a senior Democrat")
KINDS = (PERSON, ORGANISATION, UNNAMED)


@dataclass(frozen=True)
class Speaker:
    """One speaker of the collection, with every way the articles name and describe them.

    `name` is the canonical name (the full name most articles use); `roles` maps each outlet
    (the source's file name where the outlet is not known) to the roles it gives, as written;
    `names` are the names and descriptions the articles use for this speaker; `statements` is
    the number of distinct statements; dates are the articles' stated dates (YYYY-MM-DD).

    Example:
        palamar = next(s for s in assistant.speakers() if s.name == "Sviatoslav Palamar")
        palamar.roles
        # {'Fox News': ('Deputy Commander of Azov regiment',),
         # 'afp.txt': ('the Azov regiment’s deputy commander',)}
    """

    name: str
    kind: str  # one of KINDS
    statements: int
    outlets: tuple[str, ...]
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    first_date: str | None = None
    last_date: str | None = None

    def role_list(self) -> list[str]:
        """Every role once, in outlet order: "deputy commander" and "Deputy Commander" are one."""
        seen: dict[str, str] = {}
        for roles in self.roles.values():
            for role in roles:
                seen.setdefault(role.casefold().removeprefix("the "), role)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "name": self.name,
            "kind": self.kind,
            "statements": self.statements,
            "outlets": list(self.outlets),
            "roles": {k: list(v) for k, v in self.roles.items()},
            "names": list(self.names),
            "first_date": self.first_date,
            "last_date": self.last_date,
        }
