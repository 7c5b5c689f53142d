"""Which files an edit of the catalogue can change the validation results of.

Results are located in the *home* file of the resource they are about (the first file, in path order, that
describes it; a blank node counts as part of the resource that holds it). When some files change, the results
that can differ are those about:

- the changed files' own resources and blank nodes (their lines may have moved);
- every resource whose description changed, in its home file before and after the change (the home moves when
  a file that describes the resource appears or goes);
- the resources close enough to a changed triple for a rule to read it: for a triple whose predicate has reach
  ``r`` (:mod:`hdh_graph.validation.reach`), the resources at most ``r`` links from its subject, before and
  after the change.

The comparison is made resource by resource (its triples in each changed file, blank nodes compared by content),
so that an edit which leaves a resource's triples as they were (a comment, another layout) touches nothing but
its file. Links are followed through the changed files resource by resource, and through the others file by file
with the catalogue index (every resource of a file that cites an IRI counts as citing it): a superset of the
actual neighbours. Beyond ``limit`` files, :func:`affected_files` gives up (``None``): a full validation is as
quick then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from hdh_graph.graph_store import AnyTerm
from hdh_graph.validation.index import CatalogueIndex
from hdh_graph.validation.reach import ANY


@dataclass(frozen=True)
class Part:
    """One triple of a description (with the blank nodes under its object): what it reads and names."""

    predicates: frozenset[str]
    iris: frozenset[str]


@dataclass
class Description:
    """A file's triples grouped by the resource they describe, each blank-node tree written out as text."""

    named: dict[str, dict[str, Part]] = field(default_factory=dict)
    """Subject IRI -> ``"<p> object"`` text -> part."""
    loose: dict[str, Part] = field(default_factory=dict)
    """Blank nodes no resource holds (none points at them, or only other such blank nodes), as text -> part."""

    @property
    def subjects(self) -> set[str]:
        return set(self.named)


@dataclass(frozen=True)
class Change:
    """What differs about one resource (``subject``) or one loose blank node (``subject`` ``None``)."""

    subject: str | None
    predicates: frozenset[str]
    iris: frozenset[str]


def describe(triples: Iterable[ox.Triple]) -> Description:
    """Group the triples of one file by resource (see :class:`Description`)."""
    by_subject: dict[AnyTerm, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    held = _held(by_subject)
    memo: dict[AnyTerm, tuple[str, Part]] = {}

    def tree(node: AnyTerm, stack: frozenset[AnyTerm]) -> tuple[str, Part]:
        if not isinstance(node, ox.BlankNode):
            iris = frozenset({node.value}) if isinstance(node, ox.NamedNode) else frozenset()
            return str(node), Part(frozenset(), iris)
        if node in stack:
            return "[cycle]", Part(frozenset(), frozenset())
        if node not in memo:
            pairs = sorted(pair(t, stack | {node}) for t in by_subject.get(node, ()))
            memo[node] = (
                "[" + " ; ".join(text for text, _ in pairs) + "]",
                Part(_union(p.predicates for _, p in pairs), _union(p.iris for _, p in pairs)),
            )
        return memo[node]

    def pair(t: ox.Triple, stack: frozenset[AnyTerm]) -> tuple[str, Part]:
        text, part = tree(t.object, stack)
        return f"{t.predicate} {text}", Part(part.predicates | {t.predicate.value}, part.iris)

    found = Description()
    for subject, items in by_subject.items():
        if isinstance(subject, ox.NamedNode):
            found.named[subject.value] = dict(pair(t, frozenset()) for t in items)
        elif isinstance(subject, ox.BlankNode) and subject not in held:
            text, part = tree(subject, frozenset())
            found.loose[text] = part
    return found


def _held(by_subject: Mapping[AnyTerm, list[ox.Triple]]) -> set[AnyTerm]:
    """The blank nodes a named resource reaches through blank nodes."""
    held: set[AnyTerm] = set()
    todo = [t.object for s, items in by_subject.items() if isinstance(s, ox.NamedNode) for t in items]
    while todo:
        node = todo.pop()
        if isinstance(node, ox.BlankNode) and node not in held:
            held.add(node)
            todo.extend(t.object for t in by_subject.get(node, ()))
    return held


def changes(before: Description | None, after: Description | None) -> list[Change]:
    """What differs between two versions of a file (``None``: the file does not exist)."""
    old, new = before or Description(), after or Description()
    found: list[Change] = []
    for subject in sorted(old.named.keys() | new.named.keys()):
        a, b = old.named.get(subject, {}), new.named.get(subject, {})
        differing = [a.get(k) or b[k] for k in a.keys() ^ b.keys()]
        if differing or (subject in old.named) != (subject in new.named):
            found.append(Change(subject, _union(p.predicates for p in differing), _union(p.iris for p in differing)))
    for key in old.loose.keys() ^ new.loose.keys():
        part = old.loose.get(key) or new.loose[key]
        found.append(Change(None, part.predicates, part.iris))
    return found


class CatalogueState:
    """The catalogue at one time, as the index sees its unchanged files plus given versions of the others.

    For the given files, links are known resource by resource; for the others, file by file (every resource of
    a file citing an IRI counts as citing it, every IRI a file cites as cited by each resource it describes)."""

    def __init__(self, index: CatalogueIndex, files: Mapping[str, Description | None]) -> None:
        self.index = index
        self.files = files
        self._refs: dict[str, set[str]] = {}

    def describers(self, iris: set[str]) -> dict[str, set[str]]:
        found = {iri: set(rels) for iri, rels in self.index.describers(iris).items()}
        for rel, description in self.files.items():
            if description is not None:
                for iri in iris & description.subjects:
                    found.setdefault(iri, set()).add(rel)
        return found

    def citers(self, iris: set[str]) -> tuple[set[str], set[str]]:
        """The resources citing any of ``iris``, and the files where they (or loose blank nodes) do."""
        files = set(self.index.citing(iris))
        resources = set().union(*(self.index.subjects_of(rel) for rel in files)) if files else set()
        for rel, description in self.files.items():
            if description is None:
                continue
            for subject, parts in description.named.items():
                if any(iris & part.iris for part in parts.values()):
                    resources.add(subject)
                    files.add(rel)
            if any(iris & part.iris for part in description.loose.values()):
                files.add(rel)
        return resources, files

    def cited(self, iris: set[str]) -> set[str]:
        """The IRIs that any of ``iris`` cite (their own triples and blank nodes)."""
        found: set[str] = set()
        for iri, rels in self.describers(iris).items():
            for rel in rels:
                if rel in self.files:
                    description = self.files[rel]
                    parts = description.named.get(iri, {}) if description is not None else {}
                    found |= _union(part.iris for part in parts.values())
                else:
                    if rel not in self._refs:
                        self._refs[rel] = self.index.refs_of(rel)
                    found |= self._refs[rel]
        return found


def affected_files(
    found: Mapping[str, list[Change]],
    states: Iterable[CatalogueState],
    reach: Mapping[str, int],
    limit: int,
) -> set[str] | None:
    """The files whose results the changes (by file) can change, in any of the ``states`` (before and after);
    ``None`` beyond ``limit`` files."""
    starts: list[tuple[set[str], int]] = []
    floor = reach.get(ANY, -1)
    for items in found.values():
        for change in items:
            hops = max([floor, *(reach.get(p, -1) for p in change.predicates)])
            if change.subject is not None:
                starts.append(({change.subject}, hops))
            elif hops >= 0:  # a loose blank node: its file is checked again; reach on from what it names
                starts.append((set(change.iris), hops))
    files = set(found)
    for state in states:
        for start, hops in starts:
            near = _files_near(state, start, hops, limit)
            if near is None:
                return None
            files |= near
            if len(files) > limit:
                return None
    return files


def _files_near(state: CatalogueState, start: set[str], hops: int, limit: int) -> set[str] | None:
    """The home files of the IRIs at most ``hops`` links from ``start``, with the files where those nearer are
    cited (their loose blank nodes); ``None`` beyond ``limit`` files."""
    seen, frontier = set(start), set(start)
    files = _homes(state, frontier)
    for _ in range(max(hops, 0)):
        citing, citing_files = state.citers(frontier)
        frontier = (citing | state.cited(frontier)) - seen
        seen |= frontier
        files |= citing_files | _homes(state, frontier)
        if len(files) > limit:
            return None
        if not frontier:
            break
    return files


def _homes(state: CatalogueState, iris: set[str]) -> set[str]:
    return {min(rels) for rels in state.describers(iris).values() if rels}


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    out: set[str] = set()
    for s in sets:
        out |= s
    return frozenset(out)
