"""The feed validates against DCAT-AP 3.0.1 and HealthDCAT-AP Release 8 (the project's shapes) on its own:
the feed document is validated as a catalogue of one file, so every term it uses must be typed inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdh_graph.feed import build_feed
from hdh_graph.feed.vocabulary import known_terms
from hdh_graph.settings import Settings
from hdh_graph.validation import runner


def validate_feed(data: bytes, tmp: Path) -> list:
    folder = tmp / "feed-only"
    folder.mkdir()
    (folder / "catalog.ttl").write_bytes(data)
    report = runner.validate_catalogue(Settings(catalogue=folder, store=tmp / "feed-store"), use_cache=False)
    return report.results


def _findings(results: list, severity: str) -> set[tuple[str | None, str | None, str]]:
    return {(r.resource, r.property, r.message_en) for r in results if r.severity.value == severity}


@pytest.mark.parametrize("severity", ["violation", "warning"])
def test_the_feed_alone_adds_no_finding_to_those_of_the_catalogue(store, settings, tmp_path, severity):
    """Validated on its own, without the vocabularies the catalogue's validation loads, the feed has no
    violation or warning that the catalogue files themselves do not have: it is self-contained."""
    in_place = runner.validate_catalogue(settings, use_cache=False).results
    alone = validate_feed(build_feed(store, settings).serialize("turtle"), tmp_path)
    # DCAT-AP recommends a bounding box and centroid for every dct:Location, including the EU country terms
    # the feed types as dct:Location (range.ttl demands that class): those warnings come with typing them.
    terms = known_terms()
    new = {f for f in _findings(alone, severity) - _findings(in_place, severity) if f[0] not in terms}
    added = sorted(map(str, new))
    assert added == [], "\n".join(added)
    assert _findings(in_place, "violation"), "the fixture is meant to have a few problems of its own"


def test_the_vocabulary_terms_inside_the_feed_are_what_makes_it_valid(store, settings, tmp_path):
    """Without the typed terms, the range checks fail: proof that the feed carries them on purpose."""
    import pyoxigraph as ox

    from hdh_graph.feed.serialize import serialize

    page = build_feed(store, settings)
    terms = known_terms()
    bare = [t for t in page.triples if t.subject.value not in terms or isinstance(t.subject, ox.BlankNode)]
    results = validate_feed(serialize(bare, "turtle"), tmp_path)
    assert [r for r in results if r.severity.value == "violation"]
