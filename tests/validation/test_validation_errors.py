"""Bad input: syntax errors, non-UTF-8 files, unusable shapes, unreadable paths, unknown access levels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hdh_graph.cli.validate_cmds import validate
from hdh_graph.settings import Settings
from hdh_graph.validation import ShapesError, UnreadableFiles, validate_catalogue

HERE = Path(__file__).parent
SHAPES = HERE.parents[1] / "shapes"
FIXTURES = HERE / "fixtures"


def make_catalogue(tmp_path: Path, files: dict[str, bytes | str]) -> Settings:
    catalogue = tmp_path / "catalogue"
    for name, content in files.items():
        path = catalogue / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return Settings(catalogue=catalogue, store=tmp_path / "var" / "store")


def test_syntax_error_is_a_located_result_and_every_other_file_is_still_checked(tmp_path: Path) -> None:
    bad_column = (FIXTURES / "column-name" / "bad.ttl").read_text()
    settings = make_catalogue(
        tmp_path,
        {"a-broken.ttl": '<x> <p> "ok" .\n<y> <p> "missing dot"\n<z> <p> 1 .\n', "b-columns.ttl": bad_column},
    )
    report = validate_catalogue(settings, shapes_dir=SHAPES)
    (syntax,) = [r for r in report.results if r.rule == "hdh:syntax"]
    assert (syntax.file, syntax.line, syntax.column) == ("a-broken.ttl", 3, 1)
    assert "Turtle syntax error" in syntax.message_en
    assert any(r.rule == "hdhsh:column-name" and r.file == "b-columns.ttl" for r in report.results)
    assert not report.conforms


def test_file_that_is_not_utf8_is_a_clear_result(tmp_path: Path) -> None:
    settings = make_catalogue(tmp_path, {"latin1.ttl": '<x> <p> "ok" .\n<y> <p> "d\xe9c\xe8s" .\n'.encode("latin-1")})
    report = validate_catalogue(settings, shapes_dir=SHAPES)
    (problem,) = report.results
    assert problem.rule == "hdh:encoding"
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message_en and "0xE9" in problem.message_en
    assert "UTF-8" in (problem.hint_en or "")


def copy_shapes(tmp_path: Path) -> Path:
    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES, shapes)
    return shapes


def test_shapes_file_that_does_not_parse_stops_validation_naming_it(tmp_path: Path) -> None:
    shapes = copy_shapes(tmp_path)
    (shapes / "hdh.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:property [ .\n")
    settings = make_catalogue(tmp_path, {"a.ttl": "<x> <p> 1 .\n"})
    with pytest.raises(ShapesError) as caught:
        validate_catalogue(settings, shapes_dir=shapes, use_cache=False)
    assert "hdh.ttl" in str(caught.value) and caught.value.exit_code == 2


def test_shapes_file_that_is_not_valid_shacl_stops_validation_naming_it(tmp_path: Path) -> None:
    shapes = copy_shapes(tmp_path)
    (shapes / "overlay" / "healthdcat-ap-r8-pyshacl.ttl").write_text("# emptied\n")
    settings = make_catalogue(tmp_path, {"a.ttl": "<x> <p> 1 .\n"})
    with pytest.raises(ShapesError) as caught:
        validate_catalogue(settings, shapes_dir=shapes, use_cache=False)
    assert "public-shapes.ttl" in str(caught.value) and "sh:path" in str(caught.value)


def test_cli_exit_code_2_for_bad_shapes_and_for_unreadable_paths(tmp_path: Path) -> None:
    shapes = copy_shapes(tmp_path)
    (shapes / "hdh.ttl").write_text("this is not turtle\n")
    settings = make_catalogue(tmp_path, {"a.ttl": "<x> <p> 1 .\n"})
    runner = CliRunner()
    common = ["--catalogue", str(settings.catalogue), "--store", str(settings.store), "--no-cache"]
    result = runner.invoke(validate, [*common, "--shapes", str(shapes)])
    assert result.exit_code == 2
    assert "hdh.ttl" in result.output
    result = runner.invoke(validate, [*common, "--shapes", str(SHAPES), str(tmp_path / "nowhere.ttl")])
    assert result.exit_code == 2
    assert "nowhere.ttl" in result.output


def test_unreadable_path_raises_with_every_problem(tmp_path: Path) -> None:
    settings = make_catalogue(tmp_path, {"a.ttl": "<x> <p> 1 .\n"})
    with pytest.raises(UnreadableFiles) as caught:
        validate_catalogue(settings, [tmp_path / "one.ttl", tmp_path / "two.ttl"], shapes_dir=SHAPES)
    assert "one.ttl" in str(caught.value) and "two.ttl" in str(caught.value)


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
@pytest.mark.parametrize("rights", ["", "dct:accessRights <http://example.org/secret> ;"])
def test_dataset_with_missing_or_unknown_level_is_a_violation_not_a_crash(
    tmp_path: Path, engine: str, rights: str
) -> None:
    text = (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        f'<dataset/x> a dcat:Dataset ; {rights}\n    dct:title "X"@fr, "X"@en ; dct:description "X"@fr, "X"@en .\n'
    )
    settings = make_catalogue(tmp_path, {"x.ttl": text})
    report = validate_catalogue(settings, shapes_dir=SHAPES, engine=engine, use_cache=False)
    levels = [r for r in report.violations if r.rule == "hdhsh:access-level"]
    assert len(levels) == 1 and levels[0].line == 3
    # the official dataset shapes are not applied at a guessed level
    assert not [r for r in report.results if r.rule.endswith("Dataset_Shape") and r.source == "healthdcat-ap"]
