"""The Turtle scan that finds where each subject is first described."""

from __future__ import annotations

from hdh_graph.validation.positions import subject_positions

BASE = "https://catalogue.example.org/"


def test_subjects_of_top_level_statements_with_their_line_and_column() -> None:
    text = (
        "@prefix ex: <http://example.org/> .\n"
        "PREFIX dct: <http://purl.org/dc/terms/>\n"
        "# <fake> a comment with an IRI .\n"
        '<dataset/a> a ex:D ; ex:p """a long\n'
        'string . <not/a/subject> ex:q """ ; ex:q [ ex:r 1.5 ] .\n'
        'ex:b dct:title "a.b" .\n'
        "  ex:c ex:d ex:e.\n"
        "[ ex:x 1 ] ex:y 2 .\n"
        "ex:d ex:y ( 1 2 ) .\n"
        "<dataset/a> ex:z 1 .\n"
    )
    found = subject_positions(text, BASE)
    assert found == {
        BASE + "dataset/a": (4, 1),
        "http://example.org/b": (6, 1),
        "http://example.org/c": (7, 3),
        "http://example.org/d": (9, 1),
    }


def test_base_and_relative_iris_resolve_like_the_parser() -> None:
    text = "@base <https://other.example/x/> .\n<y#frag> <p> 1 .\nBASE <https://third.example/>\n<z> <p> 2 .\n"
    assert subject_positions(text, BASE) == {
        "https://other.example/x/y#frag": (2, 1),
        "https://third.example/z": (4, 1),
    }


def test_escaped_quotes_and_single_quoted_strings_do_not_end_a_statement_early() -> None:
    text = "<a> <p> \"say \\\" . <b> \" ; <q> 'it''s' .\n<c> <p> 1 .\n"
    assert subject_positions(text, BASE) == {BASE + "a": (1, 1), BASE + "c": (2, 1)}


def test_unfinished_text_is_skipped_without_error() -> None:
    assert subject_positions('<a> <p> "never closed', BASE) == {BASE + "a": (1, 1)}
