"""Attributes: the named, typed, identified columns a plan node outputs (Spark's AttributeReference).

Every column a node produces gets an ``id``; ``df["a"]`` remembers the id so that after a join the
reference still means the column of *that* DataFrame, as in Spark.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

_ids = itertools.count(1)


def new_id() -> int:
    return next(_ids)


@dataclass(frozen=True)
class Attribute:
    name: str
    dtype: object  # a DataType
    nullable: bool = True
    id: int = 0  # noqa: A003
    qualifier: tuple[str, ...] = ()
    same_as: int = 0  # a second output of the same column (select("*", "id")): not ambiguous with it

    def renamed(self, name: str) -> Attribute:
        return replace(self, name=name)

    def fresh(self) -> Attribute:
        return replace(self, id=new_id())

    def copy(self) -> Attribute:
        return replace(self, id=new_id(), same_as=self.same_as or self.id)

    def qualified(self, alias: str) -> Attribute:
        return replace(self, qualifier=(alias,))


def make(name: str, dtype, nullable: bool = True) -> Attribute:
    return Attribute(name, dtype, nullable, new_id())


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggestions(name: str, attrs) -> str:
    """Spark's ``Did you mean`` list: the quoted names in alphabetical order, then stably by edit
    distance to ``name`` (measured on the quoted form, case-sensitively), at most five."""
    quoted = sorted(f"`{a.name}`" for a in attrs)
    ranked = sorted(quoted, key=lambda q: levenshtein(q, name))[:5]
    return ", ".join(ranked)
