"""The browser test's judgement (``./course browser`` runs it in Chromium; CI calls it)."""

from __future__ import annotations

import copy

from minova.course import browser

SVG = "image/svg+xml"


def _state(**cell):
    """A page with one code cell that ran cleanly: a widget view and a diagram, both shown."""
    base = {"index": 3, "count": 1, "text": "", "widgetViews": 1,
            "outputs": [{"type": "display_data", "name": None, "ename": None, "evalue": None,
                         "text": "", "mimes": [browser.WIDGET_MIME, "text/plain"]},
                        {"type": "display_data", "name": None, "ename": None, "evalue": None,
                         "text": "", "mimes": [SVG, "text/plain"]}],
            "images": [{"loaded": True, "natural": 800, "shown": 800, "room": 1000,
                        "title": "journey"}]}
    base.update(cell)
    return {"kernel": "idle", "cells": [base]}


def test_a_clean_page_has_no_problems():
    assert browser.problems_in(_state(), pictures=["journey"]) == []


def test_errors_stderr_and_cells_that_never_ran_are_problems():
    state = _state(count=None)
    state["cells"][0]["outputs"] += [
        {"type": "error", "name": None, "ename": "KeyError", "evalue": "'x'", "text": "",
         "mimes": []},
        {"type": "stream", "name": "stderr", "ename": None, "evalue": None,
         "text": "Traceback ...\n", "mimes": []}]
    assert browser.problems_in(state) == [
        "cell 3 did not run", "cell 3: KeyError: 'x'", "cell 3 wrote to stderr: Traceback ..."]


def test_a_widget_that_does_not_render_is_a_problem():
    assert browser.problems_in(_state(widgetViews=0)) == ["cell 3: 0 widget view(s) rendered of 1"]
    assert browser.problems_in(_state(text="Error displaying widget: model not found")) == [
        "cell 3 shows 'Error displaying widget'", "cell 3 shows 'model not found'"]


def test_a_diagram_must_be_shown_loaded_fit_the_cell_and_be_the_one_expected():
    assert browser.problems_in(_state(images=[])) == ["cell 3: 0 SVG image(s) shown of 1"]
    state = _state()
    broken = copy.deepcopy(state)
    broken["cells"][0]["images"][0]["loaded"] = False
    assert browser.problems_in(broken) == ["cell 3: an SVG image did not load (journey)"]
    wide = copy.deepcopy(state)
    wide["cells"][0]["images"][0]["natural"] = 1200
    expected = ["cell 3: the SVG journey is 1200 px wide, the cell has room for 1000 px"]
    assert browser.problems_in(wide) == expected
    shrunk = copy.deepcopy(wide)  # scaled down to the cell's width: too small to read
    shrunk["cells"][0]["images"][0].update(shown=1000, room=1000)
    assert browser.problems_in(shrunk) == expected
    assert browser.problems_in(state, pictures=["timeline"]) == ["no picture 'timeline' drawn"]


def test_without_chromium_it_skips_with_a_reason_and_ci_makes_that_a_failure(
        monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("MINOVA_REQUIRE_BROWSER", raising=False)
    assert browser.main([]) == 0
    assert "skipped: no %s" % (tmp_path / "no-chromium") in capsys.readouterr().out
    monkeypatch.setenv("MINOVA_REQUIRE_BROWSER", "1")
    assert browser.main([]) == 1
    assert "cannot run" in capsys.readouterr().out
