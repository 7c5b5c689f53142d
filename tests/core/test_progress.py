"""Progress on long work: a bar on a terminal, plain lines in a log, nothing with --quiet, and a summary."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from hdh_graph.cli import main
from hdh_graph.cli.progress_view import TerminalProgress, where_the_time_went
from hdh_graph.progress import Progress, as_progress

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _run(view: TerminalProgress, total: int = 100) -> None:
    with view.step("pages", total=total, unit="pages") as step:
        for _ in range(total):
            step.advance()


def test_a_log_gets_a_plain_line_at_each_tenth_and_the_end() -> None:
    out = io.StringIO()
    _run(TerminalProgress(out, terminal=False))
    lines = out.getvalue().splitlines()
    assert lines[0] == "pages: 100 pages"
    counts = [line for line in lines if "/100 pages" in line]
    assert 10 <= len(counts) <= 12 and counts[-1].startswith("pages  ") and "100/100 pages" in counts[-1]
    assert lines[-1].startswith("pages: 100 pages in ")
    assert "\r" not in out.getvalue()


def test_a_terminal_gets_one_line_redrawn_with_rate_and_time_left() -> None:
    out = io.StringIO()
    view = TerminalProgress(out, terminal=True)
    with view.step("pages", total=1000, unit="pages") as step:
        step.advance(400)
        view._last = 0.0  # past the redraw interval
        step.advance(100)
        drawn = out.getvalue()
        assert drawn.startswith("\r") and "500/1,000 pages" in drawn and "/s" in drawn and "left" in drawn
        assert "█" * 12 in drawn
    assert out.getvalue().endswith("pages: 500 pages in " + out.getvalue().rsplit(" in ", 1)[1])


def test_quiet_shows_nothing_and_still_times_the_steps() -> None:
    out = io.StringIO()
    view = TerminalProgress(out, quiet=True, terminal=False)
    view.message("hello")
    _run(view)
    assert out.getvalue() == "" and "pages" in view.timings


def test_a_message_callable_is_a_progress() -> None:
    said: list[str] = []
    progress = as_progress(said.append)
    progress("one")
    with progress.step("work"):
        pass
    assert said == ["one"] and isinstance(progress, Progress) and "work" in progress.timings


def test_where_the_time_went_names_the_steps() -> None:
    assert where_the_time_went({"read": 2.14, "render": 8.3, "tiny": 0.01, "total": 11}) == (
        "where the time went: read 2.1 s · render 8.3 s"
    )


def test_build_and_site_say_where_the_time_went(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "mini-catalogue", catalogue)
    where = ["--catalogue", str(catalogue), "--store", str(tmp_path / "store"), "--base-iri", "https://d.example/h/"]
    built = CliRunner().invoke(main, ["build", *where, "--allow-violations"])
    assert built.exit_code == 0, built.output
    assert "Turtle files: " in built.stderr and "where the time went: " in built.stderr
    assert "validation" in built.stderr.splitlines()[-1]
    site = CliRunner().invoke(main, ["site", *where, "--out", str(tmp_path / "site"), "--no-search"])
    assert site.exit_code == 0, site.output
    assert "pages: " in site.stderr and site.stderr.splitlines()[-1].startswith("where the time went: ")
    quiet = CliRunner().invoke(main, ["site", *where, "--out", str(tmp_path / "site"), "--no-search", "-q"])
    assert "pages: " not in quiet.stderr and "where the time went" in quiet.stderr
