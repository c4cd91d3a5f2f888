"""What ``pip install .`` gives: minova alone, never a global package called ``exercises``."""

from __future__ import annotations

import sys

from minova.course import checker, cli


def test_the_package_list_holds_minova_alone():
    """pyproject's package discovery, as setuptools runs it for ``pip install .``."""
    import setuptools

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    root = checker.repo_root()
    find = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]["find"]
    packages = setuptools.find_namespace_packages(where=str(root), include=find["include"])
    assert "minova" in packages and "minova.course" in packages
    assert {p.split(".")[0] for p in packages} == {"minova"}, packages


def test_check_from_an_installed_copy_says_the_course_needs_its_repository(monkeypatch,
                                                                          capsys):
    import minova.course

    monkeypatch.setattr(minova.course, "in_a_clone", lambda: False)
    assert cli.main(["check"]) == 2
    assert "Clone the course" in capsys.readouterr().err


def test_a_clone_puts_its_folder_on_sys_path_for_the_exercises():
    import minova.course

    assert minova.course.in_a_clone() and str(checker.repo_root()) in sys.path
