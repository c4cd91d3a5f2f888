"""NOVA-DIFF notes are listed whole (issue 12 item 14: notebook 01 cut them after one line)."""

from __future__ import annotations

import types

from minova import wsgi
from minova.course.novadiff import nova_diffs
from minova.openstack.common import service


def test_a_comment_over_several_lines_is_listed_whole():
    (watcher,) = [d for d in nova_diffs(service) if "sys.exit(1)" in d.text]
    assert watcher.path == "minova/openstack/common/service.py"
    assert watcher.text.startswith("NOVA-DIFF: Juno called sys.exit(1) in a green thread")
    assert watcher.text.endswith("leave the process directly.")
    assert "#" not in watcher.text


def test_docstrings_inline_comments_and_a_stop_line(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        "# NOVA-DIFF: first line\n#   and its second.\n#\n# not part of it\n"
        "x = 1  # NOVA-DIFF: inline\n# a plain comment\n"
        "def f():\n    \"\"\"Doc.\n\n    NOVA-DIFF: in a docstring,\n    two lines.\n\n    More.\n    \"\"\"\n"
        "# --- stop\n# NOVA-DIFF: after the stop\n")
    module = types.ModuleType("m")
    module.__file__ = str(path)
    texts = [(d.line, d.text) for d in nova_diffs(module, until="# --- stop")]
    assert texts == [(1, "NOVA-DIFF: first line and its second."), (5, "NOVA-DIFF: inline"),
                     (10, "NOVA-DIFF: in a docstring, two lines.")]
    assert len(nova_diffs(module)) == 4


def test_layer_2_lists_its_docstring_note_too():
    lines = [d.line for d in nova_diffs(wsgi, until="# --- WSGI base classes")]
    assert len(lines) >= 6 and lines == sorted(lines)
    assert any("waitall" in d.text for d in nova_diffs(wsgi))
