"""``./course mine``: solved exercises plugged into the real stack (issue 9).

With every reference solution plugged in, openstacksdk's whole flow passes
against minova-all's separate processes and each plugged function is seen
serving calls (a plug that is silently bypassed fails here). With the stubs,
the package's code runs everywhere. A solution that raises gets the client a
nova fault, and the report names the task.
"""

from __future__ import annotations

import io
import os
import re
import types

import pytest
import webob

from minova.course import checker, mine

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]

SEAMS = mine.seam_tasks()


def test_manifest_names_a_seam_for_every_layer():
    assert {t.id.split(".")[0] for t in SEAMS} >= {"1", "2", "3", "4", "5", "6"}
    for task in SEAMS:
        owner, attribute = mine._resolve(task.seam)
        assert attribute in vars(owner), task.seam  # defined there, not inherited


def test_every_reference_solution_serves_the_openstacksdk_flow(tmp_path):
    out = io.StringIO()
    status = mine.run(check=True, target="solutions", out=out, workdir=tmp_path)
    text = out.getvalue()
    assert status == 0, text
    for step in ("version document", "create -> ACTIVE", "reboot (an action)", "delete"):
        assert re.search(r"ok +%s" % re.escape(step), text), text
    for task in SEAMS:
        served = re.search(r"%s +your %s\(\) served (\d+) call" % (re.escape(task.id),
                                                                   task.symbol), text)
        assert served and int(served.group(1)) > 0, "%s was plugged but never called\n%s" % (
            task.id, text)
    # the call tree marks the learner's functions where they ran
    for name in ("exercises.solutions.urlmap_match.match",
                 "exercises.solutions.get_method.find_method"):
        assert re.search(r"^>> +%s$" % re.escape(name), text, re.M), text


def test_stubs_leave_the_package_code_in_every_seam():
    out = io.StringIO()
    plugged, _results = mine.choose("stubs", out)
    assert plugged == []
    for task in SEAMS:
        assert "package   (task %s: not solved yet)" % task.id in out.getvalue()


@pytest.fixture
def raising_solutions(monkeypatch, tmp_path):
    """5.1 and 3.1 'solved' by functions that raise, as a half-finished file would."""
    def boom(*args, **kwargs):
        raise ValueError("learner's bug")

    fake = types.SimpleNamespace(find_method=boom, match=boom)
    monkeypatch.setattr("exercises._target.load", lambda name: fake)
    monkeypatch.setenv(mine.ENV_DIR, str(tmp_path))
    plugs = mine.install(["3.1", "5.1"], target="workspace")
    yield tmp_path
    mine.uninstall(plugs)


@pytest.mark.parametrize("path", ["/v2.1/servers", "/v2/servers"])
def test_a_raising_solution_gets_a_nova_fault_and_the_report_names_it(raising_solutions, path):
    from minova import wsgi

    app = wsgi.Loader().load_app("osapi_compute")
    resp = webob.Request.blank(path, headers={"X-Auth-Token": "a:b"}).get_response(app)
    assert resp.status_int == 500 and resp.json["computeFault"]["code"] == 500
    calls, errors = mine.read_records(raising_solutions)
    assert calls["3.1"] >= 1 and errors
    assert "task 3.1 (match in exercises/workspace/urlmap_match.py) raised" in errors[0]
    assert "ValueError: learner's bug" in errors[0]


def test_uninstall_restores_the_package(monkeypatch):
    from minova.api.openstack import urlmap

    before = vars(urlmap.URLMap)["_match"]
    monkeypatch.setattr("exercises._target.load",
                        lambda name: types.SimpleNamespace(match=lambda m, p: None))
    plugs = mine.install(["3.1"], target="workspace")
    assert vars(urlmap.URLMap)["_match"] is not before
    mine.uninstall(plugs)
    assert vars(urlmap.URLMap)["_match"] is before


def test_checker_tasks_without_a_seam_are_not_plugged():
    ids = {t.id for t in SEAMS}
    assert "2.3" not in ids and all(t.seam for t in checker.load_tasks() if t.id in ids)


# --- run_here: a notebook's "run it with your code" cell (issue 9 item 4) ---------------

def _seam_value(task):
    owner, attribute = mine._resolve(task.seam)
    return vars(owner)[attribute] if isinstance(owner, type) else getattr(owner, attribute)


@pytest.mark.parametrize("task", SEAMS, ids=[t.id for t in SEAMS])
def test_run_here_runs_the_reference_solution_in_the_real_code_path(task, monkeypatch):
    monkeypatch.setenv("MINOVA_EXERCISES_TARGET", "stubs")
    monkeypatch.delenv(mine.ENV_DIR, raising=False)
    before = _seam_value(task)
    here = mine.run_here(task.id, target="solutions")
    text = here.text()
    assert here.plugged and here.status == "passed", text
    # counted by the plug's wrapper: a plug the request silently bypasses serves 0 calls
    assert here.served >= 1 and not here.errors, text
    assert re.search(r"^>> +%s +exercises/solutions/" % re.escape(here.yours), text, re.M), text
    assert "your %s() served %d call(s)" % (task.symbol, here.served) in text
    assert "<b>&gt;&gt;" in here._repr_html_()
    assert _seam_value(task) is before  # unplugged afterwards
    assert mine.ENV_DIR not in os.environ
    assert os.environ["MINOVA_EXERCISES_TARGET"] == "stubs"


@pytest.mark.parametrize("task", SEAMS, ids=[t.id for t in SEAMS])
def test_run_here_with_a_stub_runs_the_package_code_and_says_so(task):
    before = _seam_value(task)
    here = mine.run_here(task.id, target="stubs")
    text = here.text()
    assert not here.plugged and here.status == "todo" and here.served == 0, text
    assert text.splitlines()[0].startswith("Task %s not solved yet: the package's own" % task.id)
    assert re.search(r"^\.\. +%s +minova/" % re.escape(here.package), text, re.M), text
    assert "exercises." not in text
    assert _seam_value(task) is before
