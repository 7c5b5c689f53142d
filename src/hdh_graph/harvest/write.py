"""Write a harvest into ``catalogue/harvested/<source>/``: one Turtle file per record and a ``_harvest.ttl``
with the provenance (source, time, content hashes). The new folder is written aside and swapped in at the
end, so that a failed or killed harvest leaves the previous one untouched; a folder that holds anything a
harvest did not write is never replaced (:func:`check_owned`)."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.feed.serialize import FEED_PREFIXES, serialize
from hdh_graph.folders import fsync_dir, remove_tree, replace_folder, restore_folder
from hdh_graph.harvest.errors import HarvestError
from hdh_graph.harvest.records import Record
from hdh_graph.vocab import DCAT, DCT, FOAF, PROV, RDF, XSD

MANIFEST = "_harvest.ttl"
SPDX = "http://spdx.org/rdf/terms#"
HEADER = "# Harvested by `hdh harvest` from {source}. Generated: do not edit, harvest again instead.\n"
OWN_MARK = b"# Harvested by `hdh harvest` "


@dataclass(frozen=True)
class PreviousRecord:
    """What the last harvest of this source recorded about one dataset."""

    key: str
    slug: str
    checksum: str
    issued: str
    modified: str
    identifiers: tuple[str, ...]


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def record_bytes(record: Record, source: str) -> tuple[bytes, str]:
    """The record's file content and the hash of its triples (stable serialisation, so equal graphs match)."""
    body = serialize(record.triples, "turtle")
    checksum = hashlib.sha256(body).hexdigest()
    return HEADER.format(source=source).encode("utf-8") + body, checksum


def read_manifest(folder: Path, base_iri: str) -> dict[str, PreviousRecord]:
    """The records of the previous harvest in ``folder`` (empty when there is none)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base_iri)
    )
    query = f"""
        SELECT ?record ?topic ?hash ?issued ?modified (GROUP_CONCAT(?id; separator="\\u001f") AS ?ids) WHERE {{
          ?record a <{DCAT.CatalogRecord}> ; <{FOAF.primaryTopic}> ?topic ; <{DCT.issued}> ?issued ;
                  <{DCT.modified}> ?modified ;
                  <{SPDX}checksum>/<{SPDX}checksumValue> ?hash .
          OPTIONAL {{ ?record <{DCT.identifier}> ?id }}
        }} GROUP BY ?record ?topic ?hash ?issued ?modified"""
    out = {}
    for row in store.query(query):  # type: ignore[union-attr]
        slug = row["record"].value.rsplit("/", 1)[-1]
        topic = row["topic"]
        key = topic.value if isinstance(topic, ox.NamedNode) else str(topic.value)
        ids = tuple(i for i in (row["ids"].value if row["ids"] else "").split("\u001f") if i)
        out[key] = PreviousRecord(key, slug, row["hash"].value, row["issued"].value, row["modified"].value, ids)
    return out


def manifest_triples(
    base_iri: str,
    source_name: str,
    source: str,
    started: datetime,
    ended: datetime,
    documents: list[tuple[str, str]],
    records: list[tuple[Record, str, str, str]],
) -> list[ox.Triple]:
    """Provenance of a harvest: the activity, the documents read (with hashes) and a record per dataset.

    ``records`` holds (record, checksum, issued, modified) with ISO dates.
    """
    activity = _nn(f"{base_iri}harvest/{source_name}")
    out = [
        ox.Triple(activity, _nn(RDF.type), _nn(PROV.Activity)),
        ox.Triple(activity, _nn(DCT.source), _nn(source)),
        ox.Triple(activity, _nn(PROV.startedAtTime), ox.Literal(_iso(started), datatype=_nn(XSD.dateTime))),
        ox.Triple(activity, _nn(PROV.endedAtTime), ox.Literal(_iso(ended), datatype=_nn(XSD.dateTime))),
    ]
    for url, digest in documents:
        out += [ox.Triple(activity, _nn(PROV.used), _nn(url)), *_checksum(_nn(url), digest)]
    for record, checksum, issued, modified in records:
        node = _nn(f"{base_iri}harvest/{source_name}/record/{record.slug}")
        topic = record.subject if isinstance(record.subject, ox.NamedNode) else _nn(record.key)
        out += [
            ox.Triple(node, _nn(RDF.type), _nn(DCAT.CatalogRecord)),
            ox.Triple(node, _nn(FOAF.primaryTopic), topic),
            ox.Triple(node, _nn(DCT.source), _nn(source)),
            ox.Triple(node, _nn(PROV.wasGeneratedBy), activity),
            ox.Triple(node, _nn(DCT.issued), ox.Literal(issued, datatype=_nn(XSD.dateTime))),
            ox.Triple(node, _nn(DCT.modified), ox.Literal(modified, datatype=_nn(XSD.dateTime))),
            *[ox.Triple(node, _nn(DCT.identifier), ox.Literal(i)) for i in record.identifiers],
            *_checksum(node, checksum),
        ]
    return out


def _checksum(subject: ox.NamedNode, digest: str) -> list[ox.Triple]:
    node = ox.BlankNode()
    return [
        ox.Triple(subject, _nn(SPDX + "checksum"), node),
        ox.Triple(node, _nn(RDF.type), _nn(SPDX + "Checksum")),
        ox.Triple(node, _nn(SPDX + "algorithm"), _nn(SPDX + "checksumAlgorithm_sha256")),
        ox.Triple(node, _nn(SPDX + "checksumValue"), ox.Literal(digest, datatype=_nn(XSD.hexBinary))),
    ]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def staging_names(folder: Path) -> tuple[Path, Path]:
    """Where a harvest of ``folder`` is written before the swap, and where the previous one goes then."""
    return folder.with_name(f".{folder.name}.new"), folder.with_name(f".{folder.name}.old")


def check_owned(folder: Path) -> None:
    """Refuse to replace a folder that is not a previous harvest: it must hold ``_harvest.ttl`` and only the
    Turtle files a harvest writes (each starting with the harvest's header)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise HarvestError(
            f"{folder} is not a folder written by `hdh harvest` (a link or a file); it is left as it is",
            hint="harvest under another --name, or move it away",
        )
    if not folder.exists():
        return
    foreign = []
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink() or not entry.is_file() or entry.suffix != ".ttl":
            foreign.append(entry.name)
            continue
        with entry.open("rb") as handle:
            if handle.read(len(OWN_MARK)) != OWN_MARK:
                foreign.append(entry.name)
    if foreign or not (folder / MANIFEST).is_file():
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "") if foreign else f"no {MANIFEST}"
        raise HarvestError(
            f"{folder} holds files that `hdh harvest` did not write ({shown}); it would be replaced whole, so "
            "nothing is written",
            hint="harvest under another --name, or move those files out of catalogue/harvested/",
        )


def write_harvest(folder: Path, files: dict[str, bytes], manifest: list[ox.Triple], source: str) -> None:
    """Write the files into a sibling folder, then swap it with ``folder`` (one atomic exchange; see
    :mod:`hdh_graph.folders`). Call with the harvest's lock held."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging, retired = staging_names(folder)
    restore_folder(folder, retired)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        for name, data in files.items():
            _write_synced(staging / name, data)
        prefixes = {**FEED_PREFIXES, "spdx": SPDX}
        body = serialize(manifest, "turtle", prefixes=prefixes)
        _write_synced(staging / MANIFEST, HEADER.format(source=source).encode("utf-8") + body)
        fsync_dir(staging)
        replace_folder(staging, folder, retired)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        restore_folder(folder, retired)
        raise
    remove_tree(retired)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
