"""A pytest plugin for the exercise checker: write each test's outcome to a JSON file.

Not a nova mirror: a teaching helper.  The checker runs
``python -m pytest -p minova.course.pytest_report ...`` with ``MINOVA_CHECK_REPORT``
set to a file name; this plugin writes ``{"tests": [...], "collect_errors": [...]}``
there, with the one-line crash message pytest already computed (no tracebacks).
"""

from __future__ import annotations

import json
import os

ENV_VAR = "MINOVA_CHECK_REPORT"
_tests: dict[str, dict] = {}
_collect_errors: list[dict] = []


def _crash(report) -> dict:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return {"message": crash.message, "where": "%s:%s" % (crash.path, crash.lineno)}
    text = str(report.longrepr or "").strip().splitlines()
    return {"message": "\n".join(text[-12:]), "where": ""}


def pytest_runtest_logreport(report):
    entry = _tests.setdefault(report.nodeid, {"nodeid": report.nodeid, "outcome": "passed"})
    if report.failed and entry["outcome"] == "passed":
        entry.update(outcome="failed", when=report.when, **_crash(report))
    elif report.skipped and report.when in ("setup", "call") and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def pytest_collectreport(report):
    if report.failed:
        _collect_errors.append({"nodeid": report.nodeid, **_crash(report)})


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get(ENV_VAR)
    if path:
        with open(path, "w") as f:
            json.dump({"tests": list(_tests.values()), "collect_errors": _collect_errors,
                       "exitstatus": int(exitstatus)}, f, indent=1)
