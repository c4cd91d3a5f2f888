"""The two commands: ./course (set-up, lab, test) and .ci/run, as README's Quick start promises."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_course_script_and_ci_parse_as_bash():
    for script in (ROOT / "course", ROOT / ".ci" / "run"):
        assert os.access(script, os.X_OK), "%s is not executable" % script
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_course_help_lists_the_commands_and_rejects_unknown_ones():
    proc = subprocess.run([str(ROOT / "course"), "help"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0
    for command in ("lab", "test", "check", "doctor", "diagrams", "setup"):
        assert "./course %s" % command in proc.stdout
    proc = subprocess.run([str(ROOT / "course"), "frobnicate"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode != 0 and "unknown command: frobnicate" in proc.stderr


def test_course_refuses_an_old_python_with_a_clear_message(tmp_path):
    shutil.copy(ROOT / "course", tmp_path / "course")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname",):
        os.symlink(shutil.which(tool), bin_dir / tool)
    for name in ("python3", "python"):
        fake = bin_dir / name
        fake.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.8.10" && exit 0\n'
                        "exit 1\n")
        fake.chmod(0o755)
    proc = subprocess.run([shutil.which("bash"), str(tmp_path / "course"), "setup"],
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
                          capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == 1
    assert "needs Python 3.10 or newer; Python 3.8.10 is on PATH" in proc.stderr
    assert not (tmp_path / ".venv").exists()


def test_readme_quick_start_and_ci_use_the_same_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "./course lab" in quick and "./course test" in quick
    ci = (ROOT / ".ci" / "run").read_text()
    assert "export MINOVA_REQUIRE_BROKER=1" in ci
    lines = ci.rstrip().splitlines()
    assert "./course test" in lines
    # then the browser test (issue 14), required: a CI without chromium must fail, not skip
    assert lines[-1] == "MINOVA_REQUIRE_BROWSER=1 ./course browser"
    assert lines.index("./course test") < len(lines) - 1


def test_course_lab_serves_notebooks_with_the_minova_kernel_by_default():
    script = (ROOT / "course").read_text()
    assert '--ServerApp.root_dir="$ROOT/notebooks"' in script
    assert '--MappingKernelManager.default_kernel_name="$KERNEL"' in script
    assert "KERNEL=minova" in script



def test_setup_installs_the_course_extra_that_brings_eventlet_for_notebook_02():
    """Issue 12 item 14: notebook 02's eventlet demo was always skipped (eventlet not installed)."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    course_extra = pyproject.split("\ncourse = [", 1)[1].split("]", 1)[0]
    assert '"eventlet' in course_extra
    assert "dependencies = [" in pyproject and "eventlet" not in pyproject.split(
        "dependencies = [", 1)[1].split("]", 1)[0], "minova itself must not depend on eventlet"
    for script in ("course", ".ci/oldest-python"):
        assert "-e '.[test,course]'" in (ROOT / script).read_text(), script
