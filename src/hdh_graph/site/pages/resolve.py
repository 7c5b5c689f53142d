"""Turn graph nodes into labels and links: which page type a resource has, what it is called."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from hdh_graph.resource_kinds import page_kind
from hdh_graph.site.i18n import Localized
from hdh_graph.site.kinds import RESOURCE_PAGES
from hdh_graph.site.pages.context import Contact, Ref
from hdh_graph.site.read.facts import Facts, Node
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import CSVW, CV, DCT, FOAF, RDFS, SKOS, VCARD

LABEL_PROPERTIES: tuple[str, ...] = (DCT.title, SKOS.prefLabel, FOAF.name, CSVW.title, RDFS.label, VCARD.fn)


@cache
def _authority_labels() -> dict[str, dict[str, str]]:
    text = resources.files("hdh_graph.site").joinpath("labels.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def kind_of(node: Node) -> str:
    """The page type of a resource (``other`` when it has none): see :mod:`hdh_graph.site.kinds`."""
    return page_kind(node.types)


def label_of(node: Node | None, iri: str = "") -> Localized:
    """The resource's name in every language it has, from the first label property it carries."""
    if node is not None:
        for prop in LABEL_PROPERTIES:
            lits = node.literals(prop)
            if lits:
                return Localized.of(lits)
        name = node.text(CSVW.name) or node.text(DCT.identifier)
        if name:
            return Localized((("", name),))
    known = _authority_labels().get(iri)
    if known:
        return Localized(tuple(sorted(known.items())))
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return Localized((("", tail or iri),))


class Resolver:
    """Makes :class:`Ref` objects for IRIs, with the page path when the site has a page for them."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._cache: dict[str, Ref] = {}

    def ref(self, iri: str) -> Ref:
        """A link to ``iri``: it depends on the resource's label and class only (its ``l:`` key)."""
        self.facts.track("l:" + iri)
        cached = self._cache.get(iri)
        if cached is not None:
            return cached
        node = self.facts.nodes.get(iri)
        kind = kind_of(node) if node is not None else "other"
        path = resource_path(iri, self.facts.base_iri) if kind in RESOURCE_PAGES else None
        if path is None and kind == "other" and node is None and iri.startswith(self.facts.base_iri):
            # A link to a catalogue resource the graph does not describe: show it, without a dead link.
            kind = "missing"
        ref = Ref(iri, path, label_of(node, iri), kind)
        self._cache[iri] = ref
        return ref

    def refs(self, iris: list[str]) -> tuple[Ref, ...]:
        return tuple(sorted((self.ref(i) for i in set(iris)), key=sort_key))

    def contacts(self, node: Node, *predicates: str) -> tuple[Contact, ...]:
        found = []
        for pred in predicates:
            for key in node.blanks(pred) + node.iris(pred):
                c = self.facts.get(key)
                if c is None:
                    continue
                url = c.first_iri(VCARD.hasURL) or c.first_iri(FOAF.homepage)
                email = c.text(CV.email) or c.text(VCARD.hasEmail) or _mailto(c.first_iri(VCARD.hasEmail))
                found.append(Contact(label_of(c) if _has_label(c) else Localized(()), url, email))
        return tuple(sorted(set(found), key=lambda x: (x.name.plain("fr"), x.url or "", x.email or "")))


def _has_label(node: Node) -> bool:
    return any(node.literals(p) for p in LABEL_PROPERTIES)


def _mailto(iri: str | None) -> str | None:
    if iri and iri.startswith("mailto:"):
        return iri[len("mailto:") :]
    return iri


def sort_key(ref: Ref) -> tuple[str, str]:
    return (ref.label.plain("fr").casefold(), ref.iri)
