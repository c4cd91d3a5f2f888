"""./course doctor reports truthfully: kernel, editable install, dot (including none), broker."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from minova.course import doctor, dotfinder


def _kernel_dir(tmp_path, monkeypatch, python: str):
    spec = tmp_path / "kernels" / "minova"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (minova)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # searched before sys.prefix


def test_doctor_kernel_ok_when_it_runs_this_interpreter(tmp_path, monkeypatch):
    _kernel_dir(tmp_path, monkeypatch, sys.executable)
    status, detail = doctor.check_kernel()
    assert status == doctor.OK and sys.executable in detail


def test_doctor_kernel_fails_when_it_runs_another_interpreter(tmp_path, monkeypatch):
    _kernel_dir(tmp_path, monkeypatch, "/opt/elsewhere/bin/python3")
    status, detail = doctor.check_kernel()
    assert status == doctor.FAIL and "/opt/elsewhere/bin/python3" in detail
    assert "jupyter kernelspec remove minova" in detail


def test_doctor_kernel_fails_when_missing():
    status, detail = doctor.check_kernel("no-such-kernel-minova-test")
    assert status == doctor.FAIL and "no Jupyter kernel" in detail


class FakeDist:
    def __init__(self, direct_url):
        self.version = "0.1.0"
        self._text = json.dumps(direct_url) if direct_url is not None else None

    def read_text(self, name):
        return self._text


def test_doctor_editable_tells_editable_from_copy(monkeypatch):
    from importlib import metadata

    def dists(*found):
        return lambda name: list(found)
    source_tree_egg_info = FakeDist(None)
    monkeypatch.setattr(metadata, "distributions", dists(source_tree_egg_info, FakeDist(
        {"url": "file:///src/minova", "dir_info": {"editable": True}})))
    assert doctor.check_editable() == (doctor.OK, "editable, from file:///src/minova")
    monkeypatch.setattr(metadata, "distributions", dists(FakeDist(
        {"url": "file:///src/minova", "dir_info": {}})))
    assert doctor.check_editable()[0] == doctor.FAIL
    monkeypatch.setattr(metadata, "distributions", dists(source_tree_egg_info))
    assert "not pip-installed" in doctor.check_editable()[1]


def test_doctor_dot_none_and_graphviz_pure(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    status, detail = doctor.check_dot(path_env=str(empty), bin_dir=str(empty))
    assert status == doctor.FAIL and "no graphviz `dot`" in detail
    pure = tmp_path / "graphviz-pure"
    pure.write_text("#!/bin/sh\n")
    pure.chmod(0o755)
    status, detail = doctor.check_dot(path_env=str(empty), bin_dir=str(tmp_path))
    assert status == doctor.OK and "graphviz-pure" in detail


def test_doctor_command_reports_dot_truthfully_with_nothing_on_path(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    # What the doctor must find with that PATH: only what sits beside this interpreter.
    expected = dotfinder.find_dot(path_env=str(empty))
    proc = subprocess.run([sys.executable, "-m", "minova.course.cli", "doctor"],
                          env=dict(os.environ, PATH=str(empty)), capture_output=True, text=True,
                          check=False,
                          timeout=60)
    dot_line = next(line for line in proc.stdout.splitlines() if line.startswith("dot "))
    if expected.path is None:
        assert "FAIL" in dot_line and "no graphviz `dot`" in dot_line
        assert proc.returncode == 1
    else:
        assert expected.path in dot_line and expected.kind in dot_line, dot_line
        assert "renders SVG" in dot_line


def test_doctor_broker_is_information_only(free_port):
    status, detail = doctor.check_broker(("127.0.0.1", free_port))
    assert status == doctor.INFO and "nothing at 127.0.0.1:%d" % free_port in detail


def test_doctor_port_and_fork_pass_here():
    assert doctor.check_port()[0] == doctor.OK
    assert doctor.check_fork()[0] == doctor.OK


def test_run_doctor_exit_code_follows_required_checks(monkeypatch):
    def crash():
        raise RuntimeError("boom")
    monkeypatch.setattr(doctor, "CHECKS", [("a", lambda: (doctor.OK, "fine")),
                                           ("b", lambda: (doctor.INFO, "fyi"))])
    out = io.StringIO()
    assert doctor.run_doctor(out) == 0 and "All required checks pass." in out.getvalue()
    monkeypatch.setattr(doctor, "CHECKS", [("a", lambda: (doctor.OK, "fine")), ("c", crash)])
    out = io.StringIO()
    assert doctor.run_doctor(out) == 1
    assert "c         FAIL  check crashed: RuntimeError: boom" in out.getvalue()
