"""The files under validation and their context, and where each resource is described (file and line)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.graph_store import AnyTerm
from hdh_graph.validation.messages import compact
from hdh_graph.validation.sources import CatalogueFile
from hdh_graph.vocab import DCT, RDF

ACCESS_RIGHTS = ox.NamedNode(DCT.accessRights)
RDF_TYPE = ox.NamedNode(RDF.type)


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None
    column: int | None
    resource: str
    via: str | None  # path from the named resource to a blank node, e.g. "dcat:contactPoint"


@dataclass
class Workspace:
    """Parsed files: ``targets`` are reported on, ``context`` only supplies triples they reference."""

    files: dict[str, CatalogueFile]
    targets: set[str]
    foreign: set[str] = field(default_factory=set)  # IRIs whose first description is in a file not loaded
    home: dict[str, str] = field(default_factory=dict)  # IRI -> file of its first description
    blank_owner: dict[str, tuple[str, AnyTerm, str]] = field(default_factory=dict)  # bnode -> (file, parent, pred)
    _links: dict[tuple[AnyTerm, AnyTerm], str] | None = None

    def __post_init__(self) -> None:
        for rel in sorted(self.files):
            f = self.files[rel]
            for t in f.triples:
                s = t.subject
                if isinstance(s, ox.NamedNode):
                    self.home.setdefault(s.value, rel)
                if isinstance(t.object, ox.BlankNode):
                    self.blank_owner.setdefault(t.object.value, (rel, s, t.predicate.value))
            for t in f.triples:
                if isinstance(t.subject, ox.BlankNode) and t.subject.value not in self.blank_owner:
                    self.blank_owner[t.subject.value] = (rel, t.subject, "")

    def predicate_between(self, subject: AnyTerm, value: AnyTerm) -> str | None:
        """The predicate linking ``subject`` to ``value`` (to name the property an alternative path matched)."""
        if self._links is None:
            self._links = {(t.subject, t.object): t.predicate.value for t in self.triples()}
        return self._links.get((subject, value))

    def triples(self) -> Iterator[ox.Triple]:
        for f in self.files.values():
            yield from f.triples

    def locate(self, term: AnyTerm) -> Location | None:
        """Where a focus node is described, or ``None`` when no target file describes it (background)."""
        via: list[str] = []
        seen: set[str] = set()
        while isinstance(term, ox.BlankNode):
            if term.value in seen or term.value not in self.blank_owner:
                return None
            seen.add(term.value)
            rel, parent, pred = self.blank_owner[term.value]
            if parent == term:  # a top-level blank node: point at the file
                return Location(rel, None, None, "[]", None) if rel in self.targets else None
            via.append(compact(pred))
            term = parent
        if not isinstance(term, ox.NamedNode):
            return None
        home = self.home.get(term.value)
        if home is None or home not in self.targets or term.value in self.foreign:
            return None
        pos = self.files[home].positions.get(term.value)
        return Location(
            home,
            pos[0] if pos else None,
            pos[1] if pos else None,
            term.value,
            " / ".join(reversed(via)) or None,
        )

    def dataset_levels(self) -> dict[str, str | None]:
        """For each dataset IRI, its access-level IRI (``None`` when missing or ambiguous)."""
        rights: dict[str, set[str]] = defaultdict(set)
        datasets: set[str] = set()
        dataset_class = "http://www.w3.org/ns/dcat#Dataset"
        for t in self.triples():
            if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
                continue
            if t.predicate == RDF_TYPE and isinstance(t.object, ox.NamedNode) and t.object.value == dataset_class:
                datasets.add(t.subject.value)
            elif t.predicate == ACCESS_RIGHTS:
                rights[t.subject.value].add(t.object.value)
        return {d: (next(iter(rights[d])) if len(rights[d]) == 1 else None) for d in datasets}
