"""Task 3.4: best_match() agrees with nova's Accept.best_match (minova.api.openstack.urlmap)."""

from __future__ import annotations

import pytest

from exercises._target import load
from minova.api.openstack import urlmap

accept = load("accept")
JSON = ["application/json", "application/vnd.openstack.compute+json"]


def test_best_match_returns_the_type_and_its_params():
    assert accept.best_match("application/json;version=2.1", ["application/json"]) == (
        "application/json", {"version": "2.1"})


def test_best_match_prefers_higher_q():
    header = "application/json;q=0.5, application/vnd.openstack.compute+json;q=0.9"
    assert accept.best_match(header, JSON)[0] == "application/vnd.openstack.compute+json"


def test_best_match_prefers_the_more_specific_mask_on_equal_q():
    assert accept.best_match("*/*;version=1, application/*;version=2", JSON) == (
        "application/json", {"version": "2"})


def test_best_match_finds_nothing_for_unsupported_types():
    assert accept.best_match("text/html", JSON) == (None, {})
    assert accept.best_match("", JSON) == (None, {})


@pytest.mark.parametrize("header", [
    "application/json", "*/*", "text/*", "application/*;q=0.2, */*;q=0.1",
    "application/xml;q=1, application/json;q=0.5;version=2",
    "application/json;q=abc, */*;version=9", "application/json;q", "application/json;version=2.1",
    "application/vnd.openstack.compute+json;version=2, application/json;version=1",
    '*/*;q=0.8, application/json;q="0.9"', "text/html, application/xml",
])
def test_best_match_agrees_with_nova_accept(header):
    assert accept.best_match(header, JSON) == urlmap.Accept(header).best_match(JSON)
