"""JSON-LD ``@context`` by URL: replaced by a copy the project ships, or refused; never fetched.

The contexts shipped are listed in ``known_contexts/index.json`` (sources and licences in its SOURCES.md). Any
other remote or relative context (``"@context": "https://…"``, an item of a context array, ``@import``) is a
clear error naming the URL: loading it would mean fetching what the publisher's server (or anyone it points
at) chooses, at parse time.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from hdh_graph.harvest.errors import HarvestError

KNOWN = Path(__file__).with_name("known_contexts")


@functools.cache
def known_contexts() -> dict[str, Any]:
    """URL → the ``@context`` value of the shipped copy."""
    index = json.loads((KNOWN / "index.json").read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    out = {}
    for url, name in index.items():
        if name not in files:
            files[name] = json.loads((KNOWN / name).read_text(encoding="utf-8"))["@context"]
        out[url] = files[name]
    return out


def inline_contexts(data: bytes, url: str) -> bytes:
    """The document with every context given by URL replaced by the shipped copy (unchanged when it has none)."""
    if b"@context" not in data and b"@import" not in data:
        return data
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise HarvestError(
            f"{url}: not valid JSON ({exc})", hint="the document is truncated or is not JSON-LD"
        ) from exc
    changed = False
    todo: list[Any] = [doc]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key in ("@context", "@import"):
            if key in node:
                value, swapped = _replace(node[key], url, key)
                if swapped:
                    node[key] = value
                    changed = True
        todo.extend(v for k, v in node.items() if k != "@import")
    return json.dumps(doc).encode("utf-8") if changed else data


def _replace(value: Any, url: str, key: str) -> tuple[Any, bool]:
    if isinstance(value, str):
        target = urljoin(url, value)
        known = known_contexts().get(target)
        if known is None:
            raise HarvestError(
                f"{url}: the JSON-LD {key} {value!r} is remote, and remote contexts are not fetched",
                hint="ask the publisher to put the context inline, or to use the DCAT-AP 3 context by its URL "
                "(contexts shipped: " + ", ".join(sorted(known_contexts())) + ")",
            )
        return known, True
    if isinstance(value, list):
        changed = False
        items = []
        for item in value:
            new, swapped = _replace(item, url, key) if isinstance(item, str) else (item, False)
            items.append(new)
            changed |= swapped
        return items, changed
    return value, False
