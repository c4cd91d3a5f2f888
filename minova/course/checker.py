"""The exercise checker: ``./course check [TASK] [--hint]``, or ``check("2.1")`` in a notebook.

Not a nova mirror: a teaching helper.  It reads exercises/tasks.toml, runs the
tasks' tests with pytest in a subprocess (so no stale imports or kernel state
leak in), prints one table line per task, explains only the first task that does
not pass yet (the next task's errors would only confuse), hands out hints one at
a time, and says well done when everything passes.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_MESSAGE_LINES = 12


@dataclass(frozen=True)
class Task:
    """One entry of exercises/tasks.toml."""

    id: str
    title: str
    notebook: str
    section: str
    file: str
    symbol: str
    test: str
    hints: tuple[str, ...]
    seam: str | None = None  # where ./course mine plugs a passing solution in
    write: str | None = None  # what to write when the task has several pieces (else symbol)

    @property
    def todo_message(self) -> str:
        """What an unfinished stub of a task with ``write`` raises, wherever it is hit."""
        return "Exercise %s: write %s in %s -- see %s, section '%s'" % (
            self.id, self.write or self.symbol + "()", self.file, self.notebook, self.section)

    @property
    def solution(self) -> str:
        return self.file.replace("exercises/workspace/", "exercises/solutions/", 1)

    @property
    def stub(self) -> str:
        """The file as the course ships it (``file`` is the learner's copy of it)."""
        return self.file.replace("exercises/workspace/", "exercises/stubs/", 1)


@dataclass
class TaskResult:
    task: Task
    status: str  # "passed", "todo" (stub untouched), "FAILED", "error"
    detail: str = ""


def repo_root() -> pathlib.Path:
    """The source tree minova runs from (an editable install points here)."""
    import minova

    return pathlib.Path(minova.__file__).resolve().parent.parent


def ensure_workspace(root: pathlib.Path | None = None) -> list[str]:
    """Copy every stub missing from exercises/workspace/ into it; never touch a file there.

    exercises/stubs/ is committed and stays pristine; exercises/workspace/ is the
    learner's (ignored by git), so a solved exercise changes nothing the course tests.
    Returns the names copied.
    """
    root = root or repo_root()
    stubs, workspace = root / "exercises" / "stubs", root / "exercises" / "workspace"
    if not stubs.is_dir():
        return []
    workspace.mkdir(exist_ok=True)
    copied = []
    for stub in sorted(stubs.glob("*.py")):
        mine = workspace / stub.name
        if not mine.exists():
            init = stub.name == "__init__.py"
            text = stub.read_text() if not init else (
                '"""Your exercise files: replace each ``raise NotImplementedError`` and run '
                '``./course check``.\n\nThe originals are in exercises/stubs/; delete a file '
                'here and run ``./course setup`` to start it again.\n"""\n')
            tmp = mine.with_name(".%s.%d.tmp" % (stub.name, os.getpid()))
            tmp.write_text(text)
            os.replace(tmp, mine)  # two first runs at once never see half a file
            if not init:
                copied.append(stub.name)
    return copied


def _id_key(task_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in task_id.split("."))


def load_tasks(manifest: pathlib.Path | None = None) -> list[Task]:
    manifest = manifest or repo_root() / "exercises" / "tasks.toml"
    with open(manifest, "rb") as f:
        data = tomllib.load(f)
    tasks = [Task(hints=tuple(t.pop("hints")), **t) for t in data.get("task", [])]
    return sorted(tasks, key=lambda t: _id_key(t.id))


# --- running the tests -----------------------------------------------------------

def run_tasks(tasks: list[Task], target: str = "workspace",
              root: pathlib.Path | None = None) -> list[TaskResult]:
    """Run the tests of ``tasks`` against ``target`` in one pytest subprocess."""
    root = root or repo_root()
    with tempfile.TemporaryDirectory(prefix="minova-check-") as tmp:
        report_path = os.path.join(tmp, "report.json")
        env = dict(os.environ, MINOVA_EXERCISES_TARGET=target, MINOVA_CHECK_REPORT=report_path,
                   PYTHONPATH=os.pathsep.join(filter(None, [str(root),
                                                            os.environ.get("PYTHONPATH")])))
        cmd = [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider",
               "-p", "minova.course.pytest_report", "--timeout=60", "-o", "addopts=",
               "--continue-on-collection-errors"]
        proc = subprocess.run(cmd + sorted({t.test for t in tasks}), cwd=root, env=env,
                              capture_output=True, text=True, timeout=900, check=False)
        try:
            with open(report_path) as f:
                report = json.load(f)
        except (OSError, ValueError):
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-MAX_MESSAGE_LINES:])
            return [TaskResult(t, "error", "pytest did not run:\n" + tail) for t in tasks]
    results = [_task_result(task, report) for task in tasks]
    for result in results:  # show paths as the learner sees them in the tree
        result.detail = result.detail.replace(str(root) + os.sep, "")
    return results


def _task_result(task: Task, report: dict) -> TaskResult:
    for error in report["collect_errors"]:
        if error["nodeid"].split("::")[0] == task.test:
            return TaskResult(task, "error", _trim(error["message"]))
    mine = [t for t in report["tests"] if t["nodeid"].split("::")[0] == task.test]
    failed = [t for t in mine if t["outcome"] == "failed"]
    if not mine:
        return TaskResult(task, "error", "no tests ran from %s" % task.test)
    if not failed:
        return TaskResult(task, "passed", "%d tests pass" % len(mine))
    first = failed[0]
    status = "todo" if "Exercise %s:" % task.id in first["message"] and \
        first["message"].startswith("NotImplementedError") else "FAILED"
    detail = "%s\n%s" % (first["nodeid"].split("::")[-1], _trim(first["message"]))
    if first.get("where"):
        detail += "\n  at %s" % first["where"]
    detail += "\n(%d of %d tests of this task fail)" % (len(failed), len(mine))
    return TaskResult(task, status, detail)


def _trim(message: str) -> str:
    lines = [line[:200] for line in message.strip().splitlines()]
    if len(lines) > MAX_MESSAGE_LINES:
        more = len(lines) - MAX_MESSAGE_LINES
        lines = lines[:MAX_MESSAGE_LINES] + ["... (%d more lines)" % more]
    return "\n".join("  " + line for line in lines)


# --- hints -------------------------------------------------------------------------

def default_state_file() -> pathlib.Path:
    """Which hints this clone has shown: beside the learner's files, never shared by clones."""
    return repo_root() / "exercises" / "workspace" / ".hints.json"


def next_hint(task: Task, state_file: pathlib.Path) -> str:
    """The next hint for ``task`` (the last one again once all are shown)."""
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        state = {}
    level = min(state.get(task.id, 0) + 1, len(task.hints))
    state[task.id] = level
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True))
    return "Hint %d of %d for task %s: %s" % (level, len(task.hints), task.id,
                                              task.hints[level - 1])


def reset_hints(state_file: pathlib.Path) -> None:
    state_file.unlink(missing_ok=True)


# --- the report --------------------------------------------------------------------

def format_report(results: list[TaskResult]) -> tuple[str, Task | None]:
    """The table, the first failing task's message, and which task that is."""
    width = max([len(r.task.title) for r in results] + [5])
    lines = ["%-5s %-7s %s" % ("task", "status", "title"), "%s %s %s" % ("-" * 5, "-" * 7,
                                                                        "-" * width)]
    lines += ["%-5s %-7s %s" % (r.task.id, r.status, r.task.title) for r in results]
    first = next((r for r in results if r.status != "passed"), None)
    if first is None:
        done = ("Task %s passes." % results[0].task.id if len(results) == 1
                else "All %d checked tasks pass." % len(results))
        lines += ["", done + " Well done!"]
        return "\n".join(lines), None
    task = first.task
    lines += ["", "Task %s (%s, in %s: %s in %s, section %r):" % (
        task.id, first.status, task.file, task.write or task.symbol, task.notebook, task.section),
        first.detail, "", "Stuck? ./course check %s --hint" % task.id]
    return "\n".join(lines), task


def run_check(task_id: str | None = None, hint: bool = False, target: str = "workspace",
              out=None, state_file: pathlib.Path | None = None,
              manifest: pathlib.Path | None = None) -> bool:
    """Check one task or all of them; write the report to ``out``; True when all pass."""
    out = out or sys.stdout
    tasks = load_tasks(manifest)
    if task_id is not None:
        tasks = [t for t in tasks if t.id == task_id]
        if not tasks:
            known = ", ".join(t.id for t in load_tasks(manifest))
            out.write("No task %r. Known tasks: %s\n" % (task_id, known))
            return False
    if target == "workspace":
        ensure_workspace()
    results = run_tasks(tasks, target)
    text, failing = format_report(results)
    out.write(text + "\n")
    if hint and failing is not None:
        out.write("\n" + next_hint(failing, state_file or default_state_file()) + "\n")
    elif hint:
        out.write("\nNo hint needed: everything you checked passes.\n")
    return failing is None


def check(task_id: str | None = None, hint: bool = False) -> None:
    """Notebook form: ``check("2.1")`` or ``check("2.1", hint=True)``."""
    run_check(task_id, hint=hint)
