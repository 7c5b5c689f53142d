"""Layout of the join diagrams (the SVG itself is written by the ``partials/diagram.html`` template).

Tables are placed in columns by how far they sit from the tables they refer to: a table that refers to
nothing is in the right-most column, a table that refers to it one column to its left, and so on. Each
join is a curve from the referring table to the referred one, labelled with the key columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from hdh_graph.site.pages.context import Box, Diagram, Edge, Join, Ref

BOX_WIDTH = 210
BOX_HEIGHT = 46
COLUMN_GAP = 190
ROW_GAP = 18
MARGIN = 12
MAX_TABLES = 80
MAX_LABEL = 28


def layout(
    tables: list[Ref], joins: list[Join], name_of: Callable[[str], str], focus: str | None = None
) -> Diagram | None:
    """Place the tables and the joins between them; ``None`` when there is nothing worth drawing."""
    keys = {t.iri: t for t in tables}
    for j in joins:
        keys.setdefault(j.source.iri, j.source)
        keys.setdefault(j.target.iri, j.target)
    if not joins or len(keys) > MAX_TABLES:
        return None
    level = _levels(sorted(keys), joins)
    top = max(level.values())
    columns: dict[int, list[str]] = defaultdict(list)
    for iri in sorted(keys, key=lambda i: (name_of(i), i)):
        columns[top - level[iri]].append(iri)
    boxes: dict[str, Box] = {}
    for col, members in sorted(columns.items()):
        for row, iri in enumerate(members):
            x = MARGIN + col * (BOX_WIDTH + COLUMN_GAP)
            y = MARGIN + row * (BOX_HEIGHT + ROW_GAP)
            boxes[iri] = Box(keys[iri], name_of(iri), x, y, BOX_WIDTH, BOX_HEIGHT, iri == focus)
    out_degree: dict[str, int] = defaultdict(int)
    in_degree: dict[str, int] = defaultdict(int)
    for j in joins:
        out_degree[j.source.iri] += 1
        in_degree[j.target.iri] += 1
    edges = tuple(
        _edge(boxes[j.source.iri], boxes[j.target.iri], j, out_degree[j.source.iri] <= in_degree[j.target.iri])
        for j in joins
    )
    width = MARGIN * 2 + (top + 1) * BOX_WIDTH + top * COLUMN_GAP
    rows = max(len(m) for m in columns.values())
    height = MARGIN * 2 + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP + 20
    ordered = tuple(sorted(boxes.values(), key=lambda b: (b.x, b.y)))
    return Diagram(width, height, ordered, edges, tuple(joins))


def _levels(keys: list[str], joins: list[Join]) -> dict[str, int]:
    """Longest chain of references from each table, bounded so that cycles end."""
    targets: dict[str, set[str]] = defaultdict(set)
    for j in joins:
        if j.source.iri != j.target.iri:
            targets[j.source.iri].add(j.target.iri)
    level = dict.fromkeys(keys, 0)
    for _ in range(min(len(keys), 6)):
        changed = False
        for k in keys:
            best = max((level[t] + 1 for t in targets[k]), default=0)
            best = min(best, 6)
            if best != level[k]:
                level[k], changed = best, True
        if not changed:
            break
    return level


def _edge(a: Box, b: Box, join: Join, label_at_source: bool) -> Edge:
    """A curve from box ``a`` to box ``b``; its label sits by the end that has fewer curves, so labels
    of the many tables that join one hub table do not pile up on each other."""
    y1, y2 = a.y + a.height // 2, b.y + b.height // 2
    label = ", ".join(join.source_columns[:2]) + ("…" if len(join.source_columns) > 2 else "")
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1] + "…"
    if b.x > a.x:
        x1, x2 = a.x + a.width, b.x
        bend = (x2 - x1) // 2
        path = f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
        if label_at_source:
            return Edge(path, label, x1 + 6, y1 - 5, "start")
        return Edge(path, label, x2 - 8, y2 - 6, "end")
    # Same column or backwards: loop out on the right-hand side.
    x1, x2 = a.x + a.width, b.x + b.width
    out = max(x1, x2) + 60
    path = f"M{x1},{y1} C{out},{y1} {out},{y2} {x2},{y2}"
    return Edge(path, label, out - 20, (y1 + y2) // 2, "middle")
