"""Render and write the pages, on several processes when there are many.

The page contexts, the facts and the templates are prepared once; worker processes forked after that share
them without copying and each renders a slice of the pages. Output is the same bytes whatever the number
of workers. Each page's fingerprint (its context, its triples and the templates) is compared with the
previous build's manifest, so an incremental build skips unchanged pages.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from hdh_graph.site.kinds import SEARCHED_KINDS, TWIN_KINDS
from hdh_graph.site.pages.context import Page
from hdh_graph.site.pages.filters import FilterIndex
from hdh_graph.site.publish.output import Output
from hdh_graph.site.read.facts import Node
from hdh_graph.site.render.templates import Renderer
from hdh_graph.site.render.twins import FORMATS, TwinWriter
from hdh_graph.site.urls import LANGUAGES, html_file, twin_file

MIN_PAGES_PER_WORKER = 400


@dataclass
class Rendered:
    manifest: dict[str, dict[str, object]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    """Paths of the pages written (not skipped as unchanged)."""
    gone: list[str] = field(default_factory=list)
    """Files removed (pages that no longer exist)."""
    new_paths: bool = False
    """Whether pages appeared or disappeared (the sitemap changes)."""
    rendered: int = 0
    unchanged: int = 0
    files: int = 0
    bytes: int = 0


@dataclass
class RenderJob:
    pages: list[Page]
    templates: dict[type[Page], str]
    renderer: Renderer
    twins: TwinWriter
    twin_owners: dict[str, list[Node]]
    filters: FilterIndex
    design: str
    previous: dict[str, dict[str, object]]
    output: Output
    twin_of: dict[str, str] = field(default_factory=dict)
    done: Callable[[int], None] | None = None
    """Told, in this process, how many more pages were rendered or found unchanged (for progress)."""
    """The path of the twin each page's resource is in (its own, or the one of a page above it)."""

    def run(self, start: int, stop: int) -> Rendered:
        done = Rendered()
        files0, bytes0 = self.output.files, self.output.bytes
        for number, page in enumerate(self.pages[start:stop], start=1):
            self._one(page, done)
            if self.done is not None and _JOB is None and number % 50 == 0:
                self.done(50)
        if self.done is not None and _JOB is None and (stop - start) % 50:
            self.done((stop - start) % 50)
        done.files, done.bytes = self.output.files - files0, self.output.bytes - bytes0
        return done

    def _one(self, page: Page, done: Rendered) -> None:
        template = self.templates[type(page)]
        owned = self.twin_owners.get(page.path, [])
        has_twin = page.kind in TWIN_KINDS and getattr(page, "page_number", 1) == 1 and bool(owned)
        scheme = page.iri if page.kind == "codelist" else None
        twin_digest = self.twins.fingerprint(owned, scheme) if has_twin else ""
        filters = {
            lang: self.filters.of(page, self.renderer.message(lang, f"kind_{page.kind}"), lang) for lang in LANGUAGES
        }
        twin_path = self.twin_of.get(page.path)
        text = f"{self.design}\n{template}\n{page!r}\n{filters!r}\n{twin_digest}\n{twin_path}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        files = [html_file(page.path, lang) for lang in LANGUAGES]
        if has_twin:
            files += [twin_file(page.path, ext) for ext in FORMATS]
        done.manifest[page.path] = {"hash": digest, "files": files}
        if page.kind in SEARCHED_KINDS and getattr(page, "page_number", 1) == 1:
            done.manifest[page.path]["facets"] = {lang: [list(f) for f in found] for lang, found in filters.items()}
        old = self.previous.get(page.path)
        if old is not None and old.get("hash") == digest:
            done.unchanged += 1
            return
        triples = self.twins.triples(owned, scheme) if has_twin else []
        for lang in LANGUAGES:
            html = self.renderer.render(template, lang, page=page, filters=filters[lang], twin_path=twin_path)
            self.output.write(html_file(page.path, lang), html.encode())
        if triples:
            for ext, data in self.twins.serialize(triples).items():
                self.output.write(twin_file(page.path, ext), data)
        done.rendered += 1
        done.written.append(page.path)


_JOB: RenderJob | None = None


def _run_slice(bounds: tuple[int, int]) -> Rendered:
    assert _JOB is not None
    return _JOB.run(*bounds)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def render_all(job: RenderJob, workers: int | None = None) -> Rendered:
    """Render every page of the job, forking ``workers`` processes when there are enough pages."""
    global _JOB
    n = len(job.pages)
    workers = min(workers or default_workers(), max(1, n // MIN_PAGES_PER_WORKER))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return job.run(0, n)
    step = max(1, min(200, -(-n // (workers * 8))))
    chunks = [(i, min(i + step, n)) for i in range(0, n, step)]
    _JOB = job
    parts: list[Rendered] = []
    # The objects made so far (facts, contexts) are moved out of the collector's sight: a collection in a worker
    # would otherwise walk them all and, by touching them, copy into each worker the memory it shares.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (start, stop), part in zip(chunks, pool.imap(_run_slice, chunks, chunksize=1), strict=True):
                parts.append(part)
                if job.done is not None:
                    job.done(stop - start)
    finally:
        _JOB = None
        gc.unfreeze()
    total = Rendered()
    for part in parts:
        total.manifest.update(part.manifest)
        total.written += part.written
        total.rendered += part.rendered
        total.unchanged += part.unchanged
        total.files += part.files
        total.bytes += part.bytes
    job.output.files += total.files
    job.output.bytes += total.bytes
    return total
