"""environment.yml gives conda users the same dependencies and ranges as pyproject.toml."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"graphviz": "python-graphviz", "psycopg2-binary": "psycopg2"}


def pyproject_requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = data["project"]["optional-dependencies"]
    lines = data["project"]["dependencies"] + extras["test"] + extras["course"]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def environment_entries() -> tuple[dict[str, SpecifierSet], dict[str, SpecifierSet]]:
    """(conda packages, pip packages) of environment.yml, by canonical name."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for line in item.get("pip", []):
                req = Requirement(line)
                pip[canonicalize_name(req.name)] = req.specifier
            continue
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", item)
        name, spec = match.group(1), match.group(2).replace(" ", "")
        conda[canonicalize_name(name)] = SpecifierSet(spec)
    return conda, pip


def test_environment_yml_lists_every_pyproject_dependency_with_its_range():
    conda, pip = environment_entries()
    for name, req in sorted(pyproject_requirements().items()):
        conda_name = canonicalize_name(CONDA_NAMES.get(name, name))
        if conda_name in conda:
            found = conda[conda_name]
        elif name in pip:
            found = pip[name]
        else:
            pytest.fail("environment.yml lacks %s (conda-forge name %s)" % (name, conda_name))
        assert found == req.specifier, "%s: pyproject %s, environment.yml %s" % (
            name, req.specifier, found)


def test_environment_yml_has_nothing_pyproject_lacks():
    conda, pip = environment_entries()
    expected = {canonicalize_name(CONDA_NAMES.get(n, n)) for n in pyproject_requirements()}
    extra = set(conda) - expected - {"python", "pip", "graphviz"}
    extra |= set(pip) - set(pyproject_requirements())
    assert not extra, "environment.yml has packages pyproject.toml does not: %s" % sorted(extra)


def test_environment_yml_brings_the_dot_binary_and_python_graphviz():
    conda, _ = environment_entries()
    assert "graphviz" in conda and "python-graphviz" in conda
    assert conda["python"].contains("3.10") and conda["python"].contains("3.12")
