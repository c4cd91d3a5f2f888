"""File names as a learner sees them in the tree: ``minova/httpd.py:64``.

Not a nova mirror: a teaching helper for the notebooks, the tracer and the source viewer.

A clone is often a folder called ``minova`` itself (``git clone .../minova``), so
``/home/me/minova/minova/httpd.py`` has two ``minova`` parts, and a ``.venv`` inside the
clone puts every library under it too. Paths are therefore taken relative to the
clone's folder (the parent of the ``minova`` package), never cut at a folder name.
"""

from __future__ import annotations

import os

import minova

PACKAGE_DIR = os.path.dirname(os.path.abspath(minova.__file__))
REPO_DIR = os.path.dirname(PACKAGE_DIR)


def is_minova_file(filename: str, package_dir: str | None = None) -> bool:
    """True for a source file of the minova package (not a library in a clone's ``.venv``)."""
    package_dir = PACKAGE_DIR if package_dir is None else package_dir
    if not os.path.isabs(filename):
        filename = os.path.abspath(filename)
    return filename.startswith(package_dir + os.sep)


def repo_path(filename: str, root: str | None = None) -> str:
    """``/anything/minova/minova/httpd.py`` -> ``minova/httpd.py``.

    A file under ``root`` (the clone's folder) is shown relative to it; a library in any
    ``site-packages`` (also one inside the clone) from there on (``webob/dec.py``);
    anything else (the standard library, ``<string>``) unchanged.
    """
    root = REPO_DIR if root is None else root
    path = os.path.normpath(os.path.abspath(filename))
    parts = path.split(os.sep)
    if "site-packages" in parts:
        index = len(parts) - 1 - parts[::-1].index("site-packages")
        return "/".join(parts[index + 1:])
    if path.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(path, root).replace(os.sep, "/")
    return filename
