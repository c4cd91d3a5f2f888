"""The exercise checker: per-task table, first failure only, hints one at a time, well done."""

from __future__ import annotations

import io
import textwrap

from minova.course import checker, cli


def _task(task_id="9.1", test="exercises/tests/test_fake.py"):
    return checker.Task(id=task_id, title="fake task %s" % task_id, notebook="notebooks/09.ipynb",
                        section="Exercise %s" % task_id, file="exercises/workspace/fake.py",
                        symbol="fake", test=test, hints=("nudge", "pointer", "steps"))


def test_checker_loads_manifest_in_task_order():
    ids = [t.id for t in checker.load_tasks()]
    assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))
    assert "2.1" in ids


def test_check_all_stubs_shows_table_and_only_the_first_failure():
    out = io.StringIO()
    assert checker.run_check(target="stubs", out=out) is False
    text = out.getvalue()
    ids = [t.id for t in checker.load_tasks()]
    for task_id in ids:
        assert "%-5s todo" % task_id in text
    # Only the first task's failure is spelled out (rustlings#230: the next one confuses).
    assert "Exercise %s:" % ids[0] in text
    assert "Exercise %s:" % ids[1] not in text
    assert "./course check %s --hint" % ids[0] in text
    assert "Traceback" not in text


def test_check_solutions_congratulates():
    out = io.StringIO()
    assert checker.run_check("3.1", target="solutions", out=out) is True
    assert "3.1   passed" in out.getvalue()
    assert "Well done" in out.getvalue()


def test_check_unknown_task_lists_known_ones():
    out = io.StringIO()
    assert checker.run_check("99.9", out=out) is False
    assert "No task '99.9'" in out.getvalue() and "2.1" in out.getvalue()


def test_run_tasks_tells_a_wrong_answer_from_an_untouched_stub(tmp_path):
    tests = tmp_path / "exercises" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_fake.py").write_text(textwrap.dedent("""
        def test_fake_one():
            assert 1 + 1 == 3, "one plus one"
        def test_fake_two():
            pass
    """))
    (tests / "test_broken.py").write_text("import no_such_module_here\n")
    results = checker.run_tasks([_task(), _task("9.2", "exercises/tests/test_broken.py")],
                                root=tmp_path)
    assert [r.status for r in results] == ["FAILED", "error"]
    assert "one plus one" in results[0].detail and "(1 of 2 tests" in results[0].detail
    assert "no_such_module_here" in results[1].detail


def test_format_report_shows_the_first_unfinished_task():
    results = [checker.TaskResult(_task("1.1"), "passed", "ok"),
               checker.TaskResult(_task("1.2"), "FAILED", "detail of 1.2"),
               checker.TaskResult(_task("1.3"), "todo", "detail of 1.3")]
    text, task = checker.format_report(results)
    assert task.id == "1.2"
    assert "detail of 1.2" in text and "detail of 1.3" not in text


def test_hints_come_one_at_a_time_and_reset(tmp_path):
    state = tmp_path / "hints.json"
    task = _task()
    shown = [checker.next_hint(task, state) for _ in range(4)]
    assert [s.split(":", 1)[0] for s in shown] == [
        "Hint 1 of 3 for task 9.1", "Hint 2 of 3 for task 9.1", "Hint 3 of 3 for task 9.1",
        "Hint 3 of 3 for task 9.1"]
    assert shown[0].endswith("nudge") and shown[2].endswith("steps")
    checker.reset_hints(state)
    assert checker.next_hint(task, state).startswith("Hint 1 of 3")


def test_hint_state_belongs_to_the_clone():
    assert checker.default_state_file() == (
        checker.repo_root() / "exercises" / "workspace" / ".hints.json")


def test_cli_check_hint_remembers_level(tmp_path, monkeypatch, capsys):
    # The stubs as shipped, and a temporary hint file: a learner's work and hints stay theirs.
    monkeypatch.setattr(checker, "default_state_file", lambda: tmp_path / "hints.json")
    assert cli.main(["check", "3.1", "--hint", "--target", "stubs"]) == 1
    assert cli.main(["check", "3.1", "--hint", "--target", "stubs"]) == 1
    out = capsys.readouterr().out
    assert "Hint 1 of 3 for task 3.1" in out and "Hint 2 of 3 for task 3.1" in out
    assert (tmp_path / "hints.json").exists()
    assert cli.main(["check", "--reset-hints"]) == 0
    assert not (tmp_path / "hints.json").exists()
