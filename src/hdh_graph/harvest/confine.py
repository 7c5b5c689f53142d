"""Keep a harvested record to what an outside source may say: about its own resources, with web links.

- A record whose dataset IRI lies under the catalogue's own base IRI is refused: a partner cannot describe (and
  so add to, or contradict) one of the hub's datasets.
- Any other triple whose subject lies under the base IRI is dropped, with a note: a record may link to the
  hub's resources (``dct:isPartOf <…/dataset/snds>``) but says nothing about them.
- Only ``http`` and ``https`` IRIs are kept (in any position), with one exception: a ``mailto:`` address as the
  object of ``vcard:hasEmail`` or ``foaf:mbox``, as DCAT-AP writes contact points. A triple with another
  scheme (``file:``, ``javascript:``, ``data:``, ``ftp:``, ``urn:``…) is dropped, with a note; a record whose
  dataset IRI has one is refused.

The harvested files are read by the build like any catalogue file; what this module drops never reaches the
store.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from hdh_graph.harvest.records import Record
from hdh_graph.vocab import FOAF, VCARD

WEB = ("http://", "https://")
MAIL_PREDICATES = frozenset({VCARD.hasEmail, FOAF.mbox})


def _scheme(iri: str) -> str:
    return iri.split(":", 1)[0].lower() + ":" if ":" in iri else iri


def _web(iri: str) -> bool:
    return iri[:8].lower().startswith(WEB)


def _kept_iri(term: object, predicate: str | None = None) -> bool:
    if not isinstance(term, ox.NamedNode):
        return True
    if _web(term.value):
        return True
    return predicate in MAIL_PREDICATES and term.value.lower().startswith("mailto:")


def confine(record: Record, base_iri: str) -> None:
    """Refuse the record (``problems``) or drop triples from it (``notes``), as the module says."""
    root = record.subject
    if isinstance(root, ox.NamedNode):
        if root.value.startswith(base_iri):
            record.problems.append(
                f"the dataset IRI is under this catalogue's own base IRI {base_iri}: a harvested record may not "
                "describe the catalogue's resources (refused)"
            )
            record.triples = []
            return
        if not _web(root.value):
            record.problems.append(f"the dataset IRI is not an http(s) IRI (scheme {_scheme(root.value)}; refused)")
            record.triples = []
            return
    ours: Counter[str] = Counter()
    schemes: Counter[str] = Counter()
    kept: list[ox.Triple] = []
    for triple in record.triples:
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(base_iri):
            ours[subject.value] += 1
            continue
        bad: list[object] = [t for t in (subject, predicate) if not _kept_iri(t)]
        if not _kept_iri(obj, predicate.value):
            bad.append(obj)
        if bad:
            schemes.update(_scheme(t.value) for t in bad if isinstance(t, ox.NamedNode))
            continue
        kept.append(triple)
    record.triples = kept
    for iri, count in sorted(ours.items()):
        record.notes.append(
            f"{count} triple(s) about <{iri}>, a resource of this catalogue, dropped (a harvest may only link to it)"
        )
    for scheme, count in sorted(schemes.items()):
        record.notes.append(f"{count} triple(s) with a {scheme} IRI dropped (only http and https links are kept)")
