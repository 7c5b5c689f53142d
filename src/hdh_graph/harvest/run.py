"""``harvest(source, settings)``: read a partner's catalogue (all its pages), check each record, write the good
ones to ``catalogue/harvested/<name>/`` and say what changed since the last harvest."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox

from hdh_graph.harvest.fetch import HarvestError, HarvestLimits, parse, read_file, read_url
from hdh_graph.harvest.paging import drop_paging, next_page
from hdh_graph.harvest.records import Record, split
from hdh_graph.harvest.write import PreviousRecord, manifest_triples, read_manifest, record_bytes, write_harvest
from hdh_graph.settings import Settings

HARVESTED = "harvested"


@dataclass
class HarvestReport:
    """What a harvest did. ``skipped`` and ``duplicates`` hold one readable line each."""

    name: str
    source: str
    folder: Path
    pages: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """With ``shacl``: what the project's SHACL validation says of the kept records (reported, not skipped)."""

    @property
    def kept(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)


def source_name(source: str) -> str:
    """A folder name for a source: the host and path of a URL, or the stem of a file."""
    if re.match(r"^https?://", source):
        url = httpx.URL(source)
        text = url.host + (url.path.rsplit(".", 1)[0] if "." in url.path.rsplit("/", 1)[-1] else url.path)
    else:
        text = Path(source).stem
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower()[:80] or "source"


def _check_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise HarvestError(f"source name {name!r} cannot be a folder name", hint="use letters, digits, - and _")
    return name


def read_all(source: str, limits: HarvestLimits) -> tuple[list[tuple[str, str]], ox.Store]:
    """Every page of the source, following Hydra paging, in one in-memory store; with each page's address and
    SHA-256. A loop or an error stops everything."""
    is_url = bool(re.match(r"^https?://", source))
    documents: list[tuple[str, str]] = []
    merged: ox.Store | None = None
    seen: set[str] = set()
    with httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects, timeout=limits.timeout) as client:
        address: str | None = source
        while address is not None:
            if address in seen:
                raise HarvestError(
                    f"{address}: paging loop, this page was already read (after {len(documents)} pages)",
                    hint="the feed's hydra:next links go round in a circle; tell its publisher",
                )
            if len(documents) >= limits.max_pages:
                raise HarvestError(
                    f"{source}: more than {limits.max_pages} pages", hint="raise --max-pages if this is expected"
                )
            seen.add(address)
            if is_url or address.startswith(("http://", "https://")):
                doc = read_url(address, limits, client)
            else:
                doc = read_file(Path(address.removeprefix("file://")), limits)
            seen.add(doc.url)
            page = parse(doc)
            documents.append((doc.url, hashlib.sha256(doc.data).hexdigest()))
            del doc
            address = next_page(page, documents[-1][0])
            if address is not None and address.startswith("file:"):
                address = address.removeprefix("file://")
            drop_paging(page)
            if merged is None:
                merged = page
            else:
                merged.extend(page)
    return documents, merged if merged is not None else ox.Store()


def _other_sources(root: Path, name: str, base_iri: str) -> dict[str, str]:
    """Identifier or dataset IRI → the other harvested source that has it."""
    owners: dict[str, str] = {}
    if not root.is_dir():
        return owners
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name == name:
            continue
        for prev in read_manifest(folder, base_iri).values():
            for ident in (prev.key, *prev.identifiers):
                owners.setdefault(ident, folder.name)
    return owners


def harvest(
    source: str,
    settings: Settings,
    name: str | None = None,
    limits: HarvestLimits | None = None,
    now: datetime | None = None,
    shacl: bool = False,
) -> HarvestReport:
    """Harvest ``source`` (URL or file) into ``<catalogue>/harvested/<name>/``. With ``shacl``, the kept records
    are also validated with the project's shapes and the violations reported (see :mod:`hdh_graph.harvest.shacl`)."""
    limits = limits or HarvestLimits()
    name = _check_name(name or source_name(source))
    started = now or datetime.now(UTC)
    root = settings.catalogue / HARVESTED
    folder = root / name
    report = HarvestReport(name, source, folder)
    documents, graph = read_all(source, limits)
    report.pages = [url for url, _ in documents]
    records = split(graph)
    del graph
    if not records:
        raise HarvestError(
            f"{source}: no dcat:Dataset found in {len(documents)} document(s)",
            hint="is this a DCAT catalogue? DCAT-US data.json and HTML pages are not harvested",
        )
    previous = read_manifest(folder, settings.base_iri)
    owners = _other_sources(root, name, settings.base_iri)
    good: list[Record] = []
    seen_ids: dict[str, str] = {}
    for record in records:
        if record.problems:
            report.skipped.append(f"{record.key}: " + "; ".join(record.problems))
            continue
        report.duplicates += _duplicates(record, owners, seen_ids)
        good.append(record)
    if shacl:
        _shacl_report(good, source, settings.base_iri, report)
    files, entries = _files(good, previous, source, _iso(started), report)
    report.removed = sorted(set(previous) - {r.key for r in good})
    digests = documents
    manifest = manifest_triples(
        settings.base_iri,
        name,
        source if "://" in source else Path(source).resolve().as_uri(),
        started,
        now or datetime.now(UTC),
        digests,
        entries,
    )
    write_harvest(folder, files, manifest, source)
    return report


def _shacl_report(records: list[Record], source: str, base_iri: str, report: HarvestReport) -> None:
    from hdh_graph.harvest.shacl import shacl_problems

    problems = shacl_problems({f"{r.slug}.ttl": record_bytes(r, source)[0] for r in records}, base_iri)
    for record in records:
        for message in problems.get(f"{record.slug}.ttl", []):
            report.findings.append(f"{record.key}: {message}")


def _duplicates(record: Record, owners: dict[str, str], seen: dict[str, str]) -> list[str]:
    """One line per other source (or other record of this source) that uses this record's IRI or identifier."""
    found: dict[str, list[str]] = {}
    for ident in dict.fromkeys((record.key, *record.identifiers)):
        if ident in owners:
            found.setdefault(f"source {owners[ident]!r}", []).append(ident)
        elif ident in seen and seen[ident] != record.key:
            found.setdefault(f"record {seen[ident]} of this source", []).append(ident)
        seen.setdefault(ident, record.key)
    return [
        f"{record.key}: {', '.join(map(repr, ids))} also used by {where} (kept apart, not merged)"
        for where, ids in found.items()
    ]


def _files(
    records: list[Record], previous: dict[str, PreviousRecord], source: str, stamp: str, report: HarvestReport
) -> tuple[dict[str, bytes], list[tuple[Record, str, str, str]]]:
    files: dict[str, bytes] = {}
    entries = []
    for record in records:
        data, checksum = record_bytes(record, source)
        files[f"{record.slug}.ttl"] = data
        before = previous.get(record.key)
        if before is None:
            report.added.append(record.key)
            entries.append((record, checksum, stamp, stamp))
        elif before.checksum != checksum:
            report.updated.append(record.key)
            entries.append((record, checksum, before.issued, stamp))
        else:
            report.unchanged.append(record.key)
            entries.append((record, checksum, before.issued, before.modified))
    return files, entries


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
