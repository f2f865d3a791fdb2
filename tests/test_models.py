"""Field rules of the record model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from llmpapers.db.models import Links, Record

BASE = {
    "id": "orca",
    "type": "paper",
    "title": "Orca",
    "categories": ["serving"],
    "sources": [{"list": "m", "as_listed": "Orca"}],
    "added": "2026-11-22",
}


def make(**changes):
    return Record.model_validate({**BASE, **changes})


def test_minimal_record():
    record = make()
    assert record.primary == "serving" and record.display_name == "Orca"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        pytest.param("id", "Orca", "lowercase", id="uppercase-id"),
        pytest.param("id", "../etc", "lowercase", id="path-in-id"),
        pytest.param("id", "a--b", "lowercase", id="double-hyphen"),
        pytest.param("type", "blog", "Input should be", id="unknown-type"),
        pytest.param("year", 3000, "outside", id="future-year"),
        pytest.param("year", "2022", "valid integer", id="string-year"),
        pytest.param("title", "a\nb", "one line", id="newline-title"),
        pytest.param("title", "a\u200bb", "zero-width", id="zero-width"),
        pytest.param("title", " padded", "spaces", id="padded-title"),
        pytest.param("categories", [], "at least 1", id="no-category"),
        pytest.param("categories", ["serving", "serving"], "twice", id="repeated-category"),
        pytest.param("sources", [], "at least 1", id="no-source"),
        pytest.param("not_duplicates", ["orca"], "itself", id="self-reference"),
        pytest.param("colour", "red", "Extra inputs", id="unknown-field"),
    ],
)
def test_bad_values_are_rejected(field, value, fragment):
    with pytest.raises(ValidationError) as exc:
        make(**{field: value})
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    ("links", "ok"),
    [
        ({"paper": "https://arxiv.org/abs/2309.06180"}, True),
        ({"arxiv": "2309.06180"}, True),
        ({"arxiv": "cs/0112017"}, True),
        ({"arxiv": "2309.06180v2"}, False),
        ({"arxiv": "https://arxiv.org/abs/2309.06180"}, False),
        ({"doi": "10.1145/3600006.3613165"}, True),
        ({"doi": "https://doi.org/10.1145/3600006.3613165"}, False),
        ({"code": "javascript:alert(1)"}, False),
        ({"code": "data:text/html,x"}, False),
        ({"code": "file:///etc/passwd"}, False),
        ({"code": "ftp://example.org/x"}, False),
        ({"code": "/relative/path"}, False),
        ({"code": " https://github.com/x"}, False),
        ({"code": "https://"}, False),
        ({"other": ["https://a.org", "http://b.org/x?y=1"]}, True),
    ],
)
def test_links(links, ok):
    if ok:
        assert Links.model_validate(links).urls()
    else:
        with pytest.raises(ValidationError):
            Links.model_validate(links)


def test_links_expand_identifiers():
    links = Links(arxiv="2309.06180", doi="10.1234/x", code="https://github.com/a/b")
    assert links.urls() == ["https://arxiv.org/abs/2309.06180", "https://doi.org/10.1234/x", "https://github.com/a/b"]


def test_canonical_dict_order_and_no_empties():
    record = make(links={"code": "https://g.com/x", "arxiv": "2309.06180"}, year=2022)
    data = record.to_yaml_dict()
    assert list(data) == ["id", "type", "title", "year", "links", "categories", "sources", "added"]
    assert list(data["links"]) == ["arxiv", "code"]
    assert data["sources"] == [{"list": "m", "as_listed": "Orca"}]
