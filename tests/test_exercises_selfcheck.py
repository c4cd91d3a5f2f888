"""The exercises prove themselves: solutions pass, stubs fail with their own task id, no leaks.

Each direction runs the real checker (pytest in a subprocess), exactly as
``./course check`` would, once against exercises/solutions/ and once against
the stubs as shipped in exercises/stubs/ (never the learner's exercises/workspace/,
so solving exercises cannot turn these tests red).
"""

from __future__ import annotations

import ast
import pathlib

import pytest

from minova.course import checker

ROOT = checker.repo_root()
TASKS = checker.load_tasks()
TRIVIAL = {"pass", "return", "return None", "else:", "try:", "finally:", "continue", "break",
           "raise", "while True:"}


@pytest.fixture(scope="module")
def solution_results():
    return {r.task.id: r for r in checker.run_tasks(TASKS, target="solutions")}


@pytest.fixture(scope="module")
def stub_results():
    return {r.task.id: r for r in checker.run_tasks(TASKS, target="stubs")}


def test_manifest_lists_tasks_with_unique_ids_and_two_or_three_hints():
    assert TASKS, "exercises/tasks.toml lists no task"
    ids = [t.id for t in TASKS]
    assert len(ids) == len(set(ids)), ids
    for task in TASKS:
        assert 2 <= len(task.hints) <= 3, task.id
        assert task.file.startswith("exercises/workspace/"), task.id
        assert task.notebook.startswith("notebooks/") and task.section, task.id
        for path in (task.stub, task.solution, task.test):
            assert (ROOT / path).is_file(), "%s: %s is missing" % (task.id, path)


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_reference_solution_passes(task, solution_results):
    result = solution_results[task.id]
    assert result.status == "passed", result.detail


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_stub_fails_with_its_own_task_id(task, stub_results):
    result = stub_results[task.id]
    assert result.status == "todo", result.detail
    assert "Exercise %s:" % task.id in result.detail


def _function_body_lines(path: pathlib.Path) -> dict[str, set[str]]:
    """Non-trivial code lines of each function in ``path`` (docstrings left out)."""
    source = path.read_text()
    bodies = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring may rightly say the same in both
        lines = set()
        for stmt in body:
            for line in (ast.get_source_segment(source, stmt) or "").splitlines():
                line = line.strip()
                if len(line) > 8 and line not in TRIVIAL and not line.startswith("#"):
                    lines.add(line)
        bodies[node.name] = lines
    return bodies


def leaked_lines(stub: pathlib.Path, solution: pathlib.Path) -> list[str]:
    # A line commented out in the stub leaks just as much.
    stub_lines = {line.strip().lstrip("#").strip() for line in stub.read_text().splitlines()}
    bodies = _function_body_lines(solution)
    return sorted(line for lines in bodies.values() for line in lines if line in stub_lines)


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_stub_holds_no_solution_code(task):
    assert task.symbol in _function_body_lines(ROOT / task.solution), task.solution
    leaked = leaked_lines(ROOT / task.stub, ROOT / task.solution)
    assert not leaked, "the shipped stub %s holds solution lines: %s" % (task.stub, leaked)


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_stub_defines_the_symbol_with_the_solution_signature(task):
    def signature(path):
        tree = ast.parse((ROOT / path).read_text())
        node = next(n for n in tree.body if getattr(n, "name", None) == task.symbol)
        return ast.dump(node.args) if isinstance(node, ast.FunctionDef) else node.name
    assert signature(task.stub) == signature(task.solution)


def test_leak_check_catches_a_copied_line_but_not_a_shared_docstring(tmp_path):
    solution, stub = tmp_path / "solution.py", tmp_path / "stub.py"
    solution.write_text('def f(x):\n    """Double and add."""\n    total = sum(v * 2 for v in x)\n'
                        "    return total\n")
    stub.write_text('def f(x):\n    """Double and add."""\n    raise NotImplementedError\n')
    assert leaked_lines(stub, solution) == []
    for copied in ("    total = sum(v * 2 for v in x)\n", "    # total = sum(v * 2 for v in x)\n"):
        stub.write_text("def f(x):\n" + copied + "    raise NotImplementedError\n")
        assert leaked_lines(stub, solution) == ["total = sum(v * 2 for v in x)"]


def test_a_solved_workspace_keeps_the_course_tests_green(tmp_path):
    """Issue 12 item 5: the learner's files (solved, or half-broken) never fail these tests."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "minova", "exercises", "tests", "pyproject.toml"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    checker.ensure_workspace(copy)
    for task in TASKS:  # solved, as a learner would, one of them wrongly
        shutil.copy2(copy / task.solution, copy / task.file)
    (copy / TASKS[0].file).write_text("raise ValueError('half-written')\n")
    env = dict(__import__("os").environ, PYTHONPATH=str(copy))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
         "tests/test_course_checker.py", "tests/test_exercises_selfcheck.py",
         "-k", "not solution_passes and not solved_workspace"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.splitlines()[-1]


def _unsolved_messages(path: pathlib.Path) -> list[str]:
    """The message of every ``raise NotImplementedError(...)`` in ``path`` (module constants resolved)."""
    tree = ast.parse(path.read_text())
    constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)}
    messages = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) == "NotImplementedError"):
            (arg,) = node.exc.args
            arg = constants.get(arg.id, arg) if isinstance(arg, ast.Name) else arg
            messages.append(ast.literal_eval(arg))
    return messages


@pytest.mark.parametrize("task", [t for t in TASKS if t.write], ids=lambda t: t.id)
def test_a_task_of_several_pieces_says_one_thing_while_unsolved(task, stub_results):
    """Issue 12 item 14: 3.2 said two different things (notebook, checker); 4.1 named one piece."""
    messages = _unsolved_messages(ROOT / task.stub)
    assert len(messages) >= 2 and set(messages) == {task.todo_message}, messages
    assert task.todo_message in stub_results[task.id].detail
    assert "in %s: %s in" % (task.file, task.write) in checker.format_report(
        [stub_results[task.id]])[0]
