"""File names as a learner sees them, also in a clone whose folder is called minova (issue 12 item 14)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import minova
from minova import httpd
from minova.course import paths, trace
from minova.course.source import show_source


def test_a_clone_called_minova_gives_minova_slash_file_not_minova_twice(tmp_path):
    clone = tmp_path / "minova"
    package = clone / "minova"
    assert paths.repo_path(str(package / "httpd.py"), root=str(clone)) == "minova/httpd.py"
    assert paths.repo_path(str(package / "api" / "openstack" / "urlmap.py"), root=str(clone)) \
        == "minova/api/openstack/urlmap.py"
    assert paths.repo_path(str(clone / "exercises" / "workspace" / "router.py"), root=str(clone)) \
        == "exercises/workspace/router.py"
    assert paths.is_minova_file(str(package / "httpd.py"), package_dir=str(package))


def test_a_venv_inside_the_clone_is_a_library_not_minova(tmp_path):
    clone = tmp_path / "minova"
    webob_file = clone / ".venv" / "lib" / "python3.11" / "site-packages" / "webob" / "dec.py"
    assert paths.repo_path(str(webob_file), root=str(clone)) == "webob/dec.py"
    assert not paths.is_minova_file(str(webob_file), package_dir=str(clone / "minova"))


def test_files_outside_the_clone_stay_as_they_are():
    assert paths.repo_path(os.__file__) == os.__file__
    assert paths.repo_path("<string>") == "<string>"


def test_the_live_package_and_its_users():
    assert paths.repo_path(httpd.__file__) == "minova/httpd.py"
    assert paths.is_minova_file(httpd.__file__) and not paths.is_minova_file(os.__file__)
    assert paths.repo_path(minova.__file__) == "minova/__init__.py"
    assert show_source(httpd.HttpConnection._respond).location.startswith("minova/httpd.py:")
    assert trace._short_path(httpd.__file__) == "minova/httpd.py"


def test_a_real_clone_in_a_folder_called_minova(tmp_path):
    """The package copied into .../minova/minova, as a clone there holds it; ask that copy."""
    clone = tmp_path / "minova"
    shutil.copytree(paths.PACKAGE_DIR, clone / "minova",
                    ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import minova.course.paths as p, minova.httpd as h, minova.course.trace as t;"
            "print(p.repo_path(h.__file__), t._short_path(h.__file__), p.PACKAGE_DIR)")
    out = subprocess.run([sys.executable, "-c", code], cwd=clone, capture_output=True, text=True,
                         timeout=60, env=dict(os.environ, PYTHONPATH=str(clone)), check=True)
    shown, traced, package_dir = out.stdout.split()
    assert package_dir == str(clone / "minova")
    assert shown == traced == "minova/httpd.py"
