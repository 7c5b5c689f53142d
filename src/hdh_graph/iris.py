"""How catalogue resources are named: IRIs relative to the configured base (see docs/model.md).

The catalogue's Turtle files use these relative IRIs; the build resolves them against ``Settings.base_iri``.
The site and the API turn absolute IRIs back into paths with :func:`relative_path`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SAFE = "-._~"
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def encode_segment(value: str) -> str:
    """Percent-encode one path segment: every character outside ``A-Za-z0-9-._~`` (as UTF-8 bytes)."""
    if _UNRESERVED.fullmatch(value):  # the common case (codes, names), on the build's hot path
        return value
    return quote(value, safe=_SAFE)


def catalog() -> str:
    return "catalog"


def dataset(slug: str) -> str:
    return f"dataset/{encode_segment(slug)}"


def table_group(slug: str) -> str:
    return f"{dataset(slug)}/variables"


def distribution(slug: str, name: str = "access") -> str:
    return f"{dataset(slug)}#{name}"


def series(name: str) -> str:
    return f"series/{encode_segment(name)}"


def table(name: str) -> str:
    return f"table/{encode_segment(name)}"


def column(table_name: str, column_name: str) -> str:
    return f"{table(table_name)}/{encode_segment(column_name)}"


def foreign_key(table_name: str, target: str, columns: list[str] | None = None) -> str:
    """``table/T#fk-TARGET``; the local columns are added when T has several keys to the same target."""
    suffix = "".join(f"-{encode_segment(c)}" for c in columns or [])
    return f"{table(table_name)}#fk-{encode_segment(target)}{suffix}"


def codelist(name: str) -> str:
    return f"codelist/{encode_segment(name)}"


def code(list_name: str, notation: str) -> str:
    return f"{codelist(list_name)}/{encode_segment(notation)}"


def agent(ident: str) -> str:
    return f"agent/{encode_segment(ident)}"


def relative_path(iri: str, base_iri: str) -> str | None:
    """The path of a catalogue resource under the base (fragment dropped), or ``None`` for outside IRIs."""
    if not iri.startswith(base_iri):
        return None
    return iri[len(base_iri) :].split("#", 1)[0]
