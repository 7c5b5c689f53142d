"""The Jinja2 environment of the site: autoescape, strict undefined, and errors that name template and line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from hdh_graph.errors import HdhError
from hdh_graph.site.i18n import Localized, Text, messages
from hdh_graph.site.render.assets import hashed_names, static_files
from hdh_graph.site.urls import DEFAULT_LANGUAGE, LANGUAGES, TWINS, page_url, twin_url

MACROS = "partials/macros.html"
MAX_KEPT_LINKS = 200_000
"""Links kept rendered (per process); beyond, the kept ones are dropped and rendered again as asked."""


class TemplateProblem(HdhError):
    """A template cannot be read or fails while rendering; the message names the file and the line."""

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[str, str | None]]:
        # Keep the hint when the error comes back from a worker process.
        return (type(self), (self.message, self.hint))


def default_templates() -> Path:
    """``site/templates`` of the project (next to ``src/``)."""
    return Path(__file__).resolve().parents[4] / "site" / "templates"


def default_static() -> Path:
    return Path(__file__).resolve().parents[4] / "site" / "static"


@jinja2.pass_context
def _pick(ctx: jinja2.runtime.Context, value: Localized | None) -> Text | None:
    if value is None:
        return None
    return value.get(ctx["lang"])


@jinja2.pass_context
def _url(ctx: jinja2.runtime.Context, path: str | None, lang: str | None = None) -> str:
    return page_url(path or "", lang or ctx["lang"])


def _json_script(value: str) -> Markup:
    """Already-escaped JSON for a ``<script>`` element (see jsonld.script_json)."""
    return Markup(value)


class Renderer:
    """Renders page contexts into HTML strings."""

    def __init__(
        self,
        templates: Path | None = None,
        *,
        site_name: str | None = None,
        site_url: str = "",
        static: Path | None = None,
    ) -> None:
        """``site_url``: where the site is published (no trailing slash), for the links that must be absolute
        (the language versions a page names in its head). ``static``: the folder of the site's static files, which
        pages link under their hashed names (:mod:`assets`)."""
        self.folder = templates or default_templates()
        self.static = static or default_static()
        if not self.folder.is_dir():
            raise TemplateProblem(
                f"template folder {self.folder} does not exist",
                hint="run from the project folder or pass the folder of the site templates",
            )
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.folder)),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            pick=_pick,
            url=_url,
            twin_url=twin_url,
            twins=TWINS,
            languages=LANGUAGES,
            default_language=DEFAULT_LANGUAGE,
            twin_path=None,
            site_url=site_url,
            same_in_every_language=self._same_in_every_language,
            ref=self._ref,
            asset=self._asset,
        )
        self.env.filters["json_script"] = _json_script
        self._messages = {lang: messages(lang) for lang in LANGUAGES}
        self._cache: dict[str, jinja2.Template] = {}
        self._shared: tuple[str, object, Markup] | None = None
        self._links: dict[str, Any] = {}
        self._refs: dict[tuple[str, object, bool], Markup] = {}
        self._assets: dict[str, str] | None = None

    @jinja2.pass_context
    def _same_in_every_language(self, ctx: jinja2.runtime.Context, name: str, page: object) -> Markup:
        """The template ``name`` rendered in the caller's context, once for the language versions of ``page``
        rendered one after the other: for the parts of a page its language does not change (the rows of a long
        code list whose labels are in one language). The page is compared by identity: the one kept cannot be
        mistaken for another page, even one at the same path."""
        if self._shared is not None and self._shared[0] == name and self._shared[1] is page:
            return self._shared[2]
        html = Markup(self.template(name).render(ctx.get_all()))
        self._shared = (name, page, html)
        return html

    @jinja2.pass_context
    def _ref(self, ctx: jinja2.runtime.Context, r: object, note: bool = False) -> Markup:
        """The link to ``r`` (macro ``ref_link`` of ``partials/macros.html``), rendered once per resource, language
        and ``note``: a link's HTML depends on nothing else (links are absolute paths)."""
        lang = ctx["lang"]
        key = (lang, r, note)
        try:
            return self._refs[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (not a Ref): rendered each time
            return Markup(self._link_macros(lang).ref_link(r, note))
        if len(self._refs) >= MAX_KEPT_LINKS:
            self._refs.clear()
        html = self._refs[key] = Markup(self._link_macros(lang).ref_link(r, note))
        return html

    def _asset(self, name: str) -> str:
        """The URL of the static file ``name`` under its hashed name (the folder is hashed once per renderer, at
        its first use: a build's pages and files agree); a name the folder lacks is linked as it is."""
        if self._assets is None:
            self._assets = hashed_names(static_files(self.static))
        return "/static/" + self._assets.get(name, name)

    def _link_macros(self, lang: str) -> Any:
        found = self._links.get(lang)
        if found is None:
            module = self.template(MACROS).make_module({"lang": lang, "t": self._messages[lang]})
            found = self._links[lang] = module
        return found

    def message(self, lang: str, key: str) -> str:
        return self._messages[lang].get(key, key)

    def template(self, name: str) -> jinja2.Template:
        found = self._cache.get(name)
        if found is None:
            try:
                found = self._cache[name] = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateProblem(
                    f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}",
                    hint="fix the template at that line",
                ) from exc
            except jinja2.TemplateNotFound as exc:
                raise TemplateProblem(
                    f"template {exc.name!r} not found in {self.folder}", hint="add the template or fix its name"
                ) from exc
        return found

    def render(self, name: str, lang: str, **context: Any) -> str:
        template = self.template(name)
        try:
            return template.render(lang=lang, t=self._messages[lang], **context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(
                f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}", hint="fix the template at that line"
            ) from exc
        except Exception as exc:
            where = _template_frame(exc) or name
            raise TemplateProblem(
                f"{where}: {type(exc).__name__}: {exc}",
                hint="the template uses a value the page does not have, or misspells it; fix that line",
            ) from exc


def _template_frame(exc: BaseException) -> str | None:
    """``file:line`` of the innermost template frame of a rendering error."""
    tb = exc.__traceback__ or sys.exc_info()[2]
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".svg", ".txt")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
