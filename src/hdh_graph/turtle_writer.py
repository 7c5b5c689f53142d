"""A small, deterministic Turtle writer for files people read and review in a diff.

Same triples, same bytes: subjects are sorted by IRI, ``a`` comes first, then predicates by their prefixed
name, then objects in a stable order. Blank nodes are only written nested (``[ ... ]``), so no generated
blank-node label ever changes a diff. IRIs may be relative: they are written as given and resolve against
the base the reader is given (see docs/model.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hdh_graph.vocab import RDF, XSD


class IRI(str):
    """An IRI, absolute or relative to the catalogue's base."""

    __slots__ = ()


@dataclass(frozen=True, order=True)
class Literal:
    """A literal with an optional language tag or datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Node:
    """A description: predicate → objects. Used for named subjects and for nested blank nodes."""

    props: dict[str, list[Object]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: Object | None) -> Node:
        """Add objects (``None`` values are skipped, so optional source fields need no ``if``)."""
        values = [o for o in objects if o is not None]
        if values:
            self.props.setdefault(predicate, []).extend(values)
        return self


Object = IRI | Literal | Node


def lit(value: str | int | bool | None, lang: str | None = None, datatype: str | None = None) -> Literal | None:
    """A literal, or ``None`` for a missing or blank value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=datatype or XSD.integer)
    text = value.strip()
    if not text:
        return None
    return Literal(text, lang=lang, datatype=datatype)


class Graph:
    """Named subjects and their descriptions, written in one stable order."""

    def __init__(self) -> None:
        self.subjects: dict[str, Node] = {}

    def node(self, subject: str) -> Node:
        return self.subjects.setdefault(subject, Node())

    def __len__(self) -> int:
        return sum(_count(n) for n in self.subjects.values())


def _count(node: Node) -> int:
    return sum(1 + (_count(o) if isinstance(o, Node) else 0) for objs in node.props.values() for o in objs)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


class TurtleWriter:
    """Writes a :class:`Graph` with the given prefixes (only the prefixes actually used are declared)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that the most specific prefix wins.
        self._prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self._used: set[str] = set()

    def iri(self, iri: str) -> str:
        if iri == RDF.type:
            return "a"
        for prefix, ns in self._prefixes:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if _is_pn_local(local):
                    self._used.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, obj: Object, indent: int) -> str:
        if isinstance(obj, IRI):
            return self.iri(obj)
        if isinstance(obj, Literal):
            text = f'"{_escape(obj.value)}"'
            if obj.lang:
                return f"{text}@{obj.lang}"
            if obj.datatype and obj.datatype != XSD.string:
                return f"{text}^^{self.iri(obj.datatype)}"
            return text
        inner = self.description(obj, indent + 4)
        return "[\n" + inner + "\n" + " " * indent + "]"

    def description(self, node: Node, indent: int) -> str:
        pad = " " * indent
        parts = []
        for predicate in sorted(node.props, key=lambda p: (p != RDF.type, self.iri(p))):
            values = node.props[predicate]
            objects = sorted({self.term(o, indent): None for o in values})
            nested = any(isinstance(o, Node) for o in values)
            separator = " , " if nested else f" ,\n{pad}    "
            parts.append(f"{pad}{self.iri(predicate)} {separator.join(objects)}")
        return " ;\n".join(parts)

    def write(self, graph: Graph, header: Iterable[str] = ()) -> str:
        """The whole document: header comments, prefixes, then one block per subject."""
        self._used = set()
        blocks = []
        for subject in sorted(graph.subjects):
            body = self.description(graph.subjects[subject], 4)
            blocks.append(f"<{subject}>\n{body} .\n")
        lines = [f"# {h}" if h else "#" for h in header]
        prefix_lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self._prefixes) if p in self._used]
        head = "\n".join(lines + ([""] if lines else []) + prefix_lines)
        return head + "\n\n" + "\n".join(blocks)


def _is_pn_local(local: str) -> bool:
    """Whether ``local`` can be written as a prefixed name without escapes."""
    if not local or local[-1] == "." or local[0] in "-.":
        return False
    return all(ch.isalnum() or ch in "_-." for ch in local) and local.isascii()
