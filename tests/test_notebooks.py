"""Every notebook in notebooks/ runs top to bottom in a fresh kernel, and is committed clean."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import nbformat
import psutil
import pytest
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbformat.v4 import new_code_cell, new_notebook

from minova.course import diagrams, notebook_runner

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NO_NOTEBOOKS = [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks in notebooks/ yet"))]


def _params():
    return [pytest.param(p, id=p.name) for p in NOTEBOOKS] or NO_NOTEBOOKS


def _committed(path) -> str:
    """The notebook as committed: a learner's autosaved outputs and edits are theirs."""
    text = notebook_runner.committed_text(path)
    if text is None:
        pytest.skip("not a git checkout: these tests check notebooks as committed")
    return text


@pytest.mark.parametrize("path", _params())
def test_notebook_runs_in_a_fresh_kernel(path, monkeypatch):
    # The exercise cells run the stubs as shipped, never the learner's workspace/.
    monkeypatch.setenv("MINOVA_EXERCISES_TARGET", "stubs")
    executed = notebook_runner.run_notebook(path, text=_committed(path))
    # Issue 12 item 10: every diagram a cell draws fits a JupyterLab cell (968 px, issue 14).
    too_wide = ["cell %d: %d px" % (index, diagrams.svg_width_px(svg))
                for index, svg in _svg_outputs(executed)
                if diagrams.svg_width_px(svg) > diagrams.MAX_WIDTH_PX]
    assert not too_wide, "%s draws diagrams wider than %d px: %s" % (
        path.name, diagrams.MAX_WIDTH_PX, ", ".join(too_wide))


def _svg_outputs(nb):
    """``(cell index, SVG text)`` for every image/svg+xml output of an executed notebook."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get("image/svg+xml")
            if svg:
                yield index, svg if isinstance(svg, str) else "".join(svg)


@pytest.mark.parametrize("path", _params())
def test_notebook_is_committed_without_outputs(path):
    assert notebook_runner.committed_problems(path, _committed(path)) == [], (
        "%s: strip outputs before committing (Edit > Clear Outputs of All Cells, then save)"
        % path.name)


def test_a_saved_working_copy_does_not_change_what_is_checked(tmp_path):
    """Issue 12 item 8: JupyterLab autosaves outputs; only the committed content is checked."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    clean = _write(tmp_path, "print(1)")
    subprocess.run(["git", "add", clean.name], cwd=tmp_path, check=True)
    nb = nbformat.read(clean, as_version=4)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].execution_count = 1
    nbformat.write(nb, clean)  # what an autosave leaves in the learner's working copy
    assert notebook_runner.committed_problems(clean) == [
        "cell 0 has outputs", "cell 0 has an execution count"]
    assert notebook_runner.committed_problems(clean, notebook_runner.committed_text(clean)) == []


def _write(tmp_path, *sources: str) -> pathlib.Path:
    path = tmp_path / "smoke.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in sources]), path)
    return path


def test_run_notebook_runs_this_interpreter_in_the_notebook_folder_and_cleans_up(tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    nb = notebook_runner.run_notebook(
        _write(tmp_path, "import os, sys\nprint(6 * 7, os.getcwd(), sys.prefix)"))
    assert nb.cells[0].outputs[0]["text"].split() == ["42", str(tmp_path), sys.prefix]
    after = {p.pid for p in psutil.Process().children(recursive=True)
             if p.status() != psutil.STATUS_ZOMBIE}
    assert after <= before, "the kernel is still running"


def test_run_notebook_reports_a_failing_cell(tmp_path):
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        notebook_runner.run_notebook(_write(tmp_path, "1 / 0"))


def test_run_notebook_times_out_a_blocking_cell(tmp_path):
    with pytest.raises(CellTimeoutError):
        notebook_runner.run_notebook(_write(tmp_path, "import time\ntime.sleep(30)"), timeout=2)


def test_run_notebook_kills_and_reports_leftover_processes(tmp_path):
    code = ("import subprocess, sys\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
            "open('child.pid', 'w').write(str(p.pid))")
    with pytest.raises(notebook_runner.LeftoverProcesses, match="time.sleep"):
        notebook_runner.run_notebook(_write(tmp_path, code))
    child = int((tmp_path / "child.pid").read_text())
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE


def test_committed_problems_finds_outputs_counts_and_widget_state(tmp_path):
    path = _write(tmp_path, "print(1)")
    assert notebook_runner.committed_problems(path) == []
    executed = notebook_runner.run_notebook(path)
    executed.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nbformat.write(executed, path)
    assert notebook_runner.committed_problems(path) == [
        "cell 0 has outputs", "cell 0 has an execution count",
        "metadata holds saved widget state"]
