"""The one settings object: defaults, environment, flags, and clear errors for bad values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hdh_graph.errors import SettingsError
from hdh_graph.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_flags_win_over_environment_which_wins_over_defaults() -> None:
    env = {"HDH_STORE": "/from/env", "HDH_PORT": "9001", "HDH_QUERY_TIMEOUT": "2.5"}
    settings = Settings.from_env(env, store=Path("/from/flag"), catalogue=None)
    assert settings.store == Path("/from/flag")
    assert settings.port == 9001
    assert settings.query_timeout == 2.5
    assert settings.catalogue == Path.cwd() / "catalogue"


def test_unknown_setting_names_the_closest_one() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"HDH_STOR": "/tmp/x"})
    assert "HDH_STOR" in str(caught.value)
    assert "did you mean HDH_STORE" in str(caught.value)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HDH_PORT": "eighty"}, "HDH_PORT='eighty' is not a valid int"),
        ({"HDH_BASE_IRI": "urn:x:"}, "is not an http(s) IRI"),
        ({"HDH_BASE_IRI": "https://example.org/cat"}, "ending with '/' or '#'"),
        ({"HDH_QUERY_TIMEOUT": "0"}, "not positive"),
    ],
)
def test_bad_values_say_how_to_fix_them(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert message in str(caught.value)
    assert caught.value.hint


def test_graph_iri_is_under_the_base() -> None:
    settings = Settings.from_env({}, base_iri="https://example.org/cat/")
    assert settings.graph_iri("snds/dcir.ttl") == "https://example.org/cat/graph/snds/dcir.ttl"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        assert f"`{field.name}`" in text, f"docs/settings.md does not document {field.name}"
        assert f"`HDH_{field.name.upper()}`" in text
