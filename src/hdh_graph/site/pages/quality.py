"""The quality box of a dataset page: its MQA score and EHDS label as a language-neutral context.

:func:`quality_pages` turns what :func:`read.quality.read_quality` computed for the whole catalogue into one
:class:`DatasetQuality` per dataset, once per build; the page builder only looks its dataset up. Words (the names of
dimensions, indicators, label elements and statuses) are in ``messages.json`` under ``mqa_*`` and ``ehds_*``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import cast

from hdh_graph.quality.ehds import ELEMENTS, Label
from hdh_graph.quality.indicators import MAX_POINTS, Dimension, dimension_max
from hdh_graph.quality.score import NOT_CHECKED, DatasetScore, summary_max
from hdh_graph.site.pages.context import DatasetQuality, LabelGroup, QualityDimension, QualityGap
from hdh_graph.site.read.quality import Quality
from hdh_graph.site.state import SiteState


def group_key(group: str) -> str:
    """The message key part of an EHDS group (``data documentation`` → ``data_documentation``)."""
    return group.replace(" ", "_")


def label_groups(label: Label) -> tuple[LabelGroup, ...]:
    """The label's elements by group, in the regulation's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for element in ELEMENTS:
        groups.setdefault(group_key(element.group), []).append((element.key, label.status[element.key]))
    return tuple(LabelGroup(g, tuple(items)) for g, items in groups.items())


def dataset_quality(score: DatasetScore | None, label: Label | None) -> DatasetQuality:
    """One dataset's quality box (a dataset series has a label but no MQA score)."""
    if score is None:
        return DatasetQuality(label=label_groups(label) if label else ())
    dims = score.dimension_points()
    gaps = tuple(
        QualityGap(r.indicator.key, round(r.indicator.points - r.points, 1), r.status, r.met, r.total)
        for r in score.missing
    )
    return DatasetQuality(
        points=score.points,
        maximum=MAX_POINTS,
        reachable=summary_max(score.results),
        rating=score.rating,
        dimensions=tuple(QualityDimension(d.value, dims[d], dimension_max(d)) for d in Dimension),
        gaps=tuple(g for g in gaps if g.status != NOT_CHECKED),
        not_checked=tuple(g for g in gaps if g.status == NOT_CHECKED),
        label=label_groups(label) if label else (),
        scored=True,
    )


def quality_pages(quality: Quality) -> dict[str, DatasetQuality]:
    """Every dataset's quality box, by IRI."""
    return {
        iri: dataset_quality(quality.scores.get(iri), quality.labels.get(iri))
        for iri in sorted(quality.scores.keys() | quality.labels.keys())
    }


def digests(boxes: dict[str, DatasetQuality]) -> dict[str, str]:
    """A short digest of each quality box (the build state keeps them to tell which ones changed)."""
    return {iri: hashlib.sha256(repr(box).encode()).hexdigest()[:16] for iri, box in boxes.items()}


def changed_quality(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The datasets whose quality box differs between two builds (appeared, went or changed)."""
    return {iri for iri in before.keys() | after.keys() if before.get(iri) != after.get(iri)}


class StoredQuality(Mapping[str, DatasetQuality]):
    """The quality boxes the state holds, read when a page asks for one."""

    def __init__(self, state: SiteState) -> None:
        self.state = state

    def __getitem__(self, iri: str) -> DatasetQuality:
        found = self.state.quality_box(iri)
        if found is None:
            raise KeyError(iri)
        return cast(DatasetQuality, found)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.state.quality_digests()))

    def __len__(self) -> int:
        return len(self.state.quality_digests())
