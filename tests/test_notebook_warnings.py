"""No notebook silences warnings for the whole kernel (issue 12 item 14: notebook 00 did)."""

from __future__ import annotations

import ast
import pathlib

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
FILTERS = {"simplefilter", "filterwarnings", "resetwarnings"}


def _kernel_wide_filters(source: str) -> list[int]:
    """Lines that change the warning filters outside a ``with warnings.catch_warnings()``."""
    tree = ast.parse(TransformerManager().transform_cell(source))  # magics as IPython runs them
    scoped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(
                isinstance(item.context_expr, ast.Call)
                and getattr(item.context_expr.func, "attr", None) == "catch_warnings"
                for item in node.items):
            scoped |= {id(inner) for inner in ast.walk(node)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in FILTERS
            and getattr(node.func.value, "id", None) == "warnings" and id(node) not in scoped]


def test_the_check_sees_a_kernel_wide_filter_and_accepts_a_scoped_one():
    assert _kernel_wide_filters("import warnings\nwarnings.simplefilter('ignore')\n") == [2]
    assert _kernel_wide_filters(
        "with warnings.catch_warnings():\n    warnings.simplefilter('ignore', DeprecationWarning)\n"
        "    x = 1\n") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_warning_filters_stay_inside_their_cell(path):
    nb = nbformat.read(path, as_version=4)
    found = {i: lines for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             for lines in [_kernel_wide_filters(cell.source)] if lines}
    assert not found, "%s: cells %s change warning filters for the whole kernel; wrap them in " \
        "`with warnings.catch_warnings():`" % (path.name, found)
