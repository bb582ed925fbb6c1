"""The text forms of a schema: DDL pieces (``toDDL``, ``simpleString``'s quoting) and ``treeString``.

Examples
--------
>>> quote("a b")
'`a b`'
"""

from __future__ import annotations

import re
from typing import Any


def quote(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "`" + name.replace("`", "``") + "`"


def field_sql(f: Any) -> str:
    comment = f.metadata.get("comment")
    tail = "" if comment is None else " COMMENT '" + str(comment).replace("'", "\\'") + "'"
    return f"{quote(f.name)} {f.dataType._sql()}{'' if f.nullable else ' NOT NULL'}{tail}"


def tree(dt: Any, prefix: str, lines: list[str], depth: int) -> None:
    """Append the children of ``dt`` to ``lines``, ``depth`` levels deep at most."""
    from ember.sql.types import ArrayType, MapType, StructType

    if depth <= 0:
        return

    def child(name: str, t: Any, note: str) -> None:
        lines.append(f"{prefix}-- {name}: {t._tree_name()}{note}")
        tree(t, prefix + "    |", lines, depth - 1)

    if isinstance(dt, StructType):
        for f in dt.fields:
            child(f.name, f.dataType, f" (nullable = {str(f.nullable).lower()})")
    elif isinstance(dt, ArrayType):
        child("element", dt.elementType, f" (containsNull = {str(dt.containsNull).lower()})")
    elif isinstance(dt, MapType):
        child("key", dt.keyType, "")
        child("value", dt.valueType, f" (valueContainsNull = {str(dt.valueContainsNull).lower()})")
