"""Run a course notebook headless, in a fresh kernel, the way CI and a careful learner would.

Not a nova mirror: a teaching helper used by tests/test_notebooks.py.

- Every cell gets a timeout (nbclient's default is none, so one blocking
  server cell would hang CI forever).
- The kernel starts in the notebook's own folder, as JupyterLab starts it.
- Before the kernel shuts down, its descendants are listed: a notebook must
  stop every server, launcher or worker it started.  Leftovers are killed and
  reported, so a leaky notebook fails instead of leaving orphans behind.
"""

from __future__ import annotations

import pathlib
import subprocess
import time

import nbformat
import psutil
from nbclient import NotebookClient

CELL_TIMEOUT = 60


class LeftoverProcesses(AssertionError):
    """A notebook left child processes running when its last cell finished."""


def kernel_name() -> str:
    """``minova`` when that kernel runs this interpreter, else ipykernel's own ``python3``."""
    from minova.course import doctor

    status, _ = doctor.check_kernel("minova")
    return "minova" if status == doctor.OK else "python3"


def _describe(proc: psutil.Process) -> str:
    try:
        return "pid %d: %s" % (proc.pid, " ".join(proc.cmdline())[:200])
    except psutil.Error:
        return "pid %d (already gone)" % proc.pid


def _running(proc: psutil.Process) -> bool:
    # A killed grandchild stays a zombie until the kernel reaps it: count it as gone.
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if _running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _running(p)]
    return alive


def stop_processes(procs: list[psutil.Process], timeout: float = 5.0) -> None:
    """SIGTERM, then SIGKILL what is still running after ``timeout`` seconds."""
    for sig_method in ("terminate", "kill"):
        for proc in procs:
            try:
                getattr(proc, sig_method)()
            except psutil.Error:
                pass
        procs = _wait_gone(procs, timeout)
        if not procs:
            return


def kernel_leftovers(client: NotebookClient) -> list[psutil.Process]:
    """Processes the kernel started and did not stop (its descendants)."""
    pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
    if pid is None:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def committed_text(path) -> str | None:
    """The notebook as committed (git's index: what the next commit holds), or None without git.

    The course's tests check this, never the working copy: JupyterLab autosaves
    a learner's outputs and edits there, and running the course must not fail it.
    """
    path = pathlib.Path(path).resolve()
    try:
        proc = subprocess.run(["git", "show", ":./%s" % path.name], cwd=path.parent,
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def run_notebook(path, timeout: int = CELL_TIMEOUT, kernel: str | None = None,
                 text: str | None = None):
    """Execute the notebook at ``path``; return it with outputs (the file is not changed).

    ``text``: run this notebook content instead of the file's (e.g. ``committed_text``),
    still in the file's folder. Raises nbclient's ``CellExecutionError`` /
    ``CellTimeoutError`` for a failing cell, and ``LeftoverProcesses`` when the
    kernel still has children at the end.
    """
    path = pathlib.Path(path)
    nb = (nbformat.reads(text, as_version=4) if text is not None
          else nbformat.read(path, as_version=4))
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel or kernel_name(),
                            resources={"metadata": {"path": str(path.parent)}})
    leftovers: list[psutil.Process] = []
    try:
        client.execute(cleanup_kc=False)
        leftovers = kernel_leftovers(client)
        described = [_describe(p) for p in leftovers]
    finally:
        stop_processes(leftovers)
        if client.km is not None:
            client._cleanup_kernel()  # nbclient's own shutdown of the kernel it started
    if leftovers:
        raise LeftoverProcesses("%s left %d process(es) running: %s" % (
            path.name, len(leftovers), "; ".join(described)))
    return nb


def committed_problems(path, text: str | None = None) -> list[str]:
    """Why a notebook is not fit to commit: outputs, execution counts, saved widget state."""
    nb = (nbformat.reads(text, as_version=4) if text is not None
          else nbformat.read(pathlib.Path(path), as_version=4))
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append("cell %d has outputs" % index)
        if cell.get("execution_count") is not None:
            problems.append("cell %d has an execution count" % index)
    if "widgets" in nb.metadata:
        problems.append("metadata holds saved widget state")
    return problems
