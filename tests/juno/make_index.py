"""Write tests/juno/index.json: where each class and def is in the Juno files the course cites.

The citation test (tests/test_citations.py) and the source viewer read this index,
so the course can check its ``nova/...:NNN`` citations without nova's source.
Run it again after citing a new file:

    git clone https://opendev.org/openstack/nova /tmp/nova
    .venv/bin/python tests/juno/make_index.py /tmp/nova

Only line numbers and names go into the index, never nova's code.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import citations  # noqa: E402

TAG = "2014.2"
INDEX = HERE / "index.json"
DEFINITION = re.compile(r"^(\s*)(class|def)\s+(\w+)")


def symbols(text: str) -> list[list]:
    """``[[line, "class"|"def", "Outer.inner"], ...]`` from indentation (Juno is Python 2)."""
    found, stack = [], []  # stack: (indent, name)
    for number, line in enumerate(text.splitlines(), 1):
        match = DEFINITION.match(line)
        if not match:
            continue
        indent = len(match.group(1).expandtabs())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        name = ".".join([n for _i, n in stack] + [match.group(3)])
        found.append([number, match.group(2), name])
        stack.append((indent, match.group(3)))
    return found


def render(tag: str, commit: str, files: dict) -> str:
    """JSON with one symbol a line, so a regenerated index diffs readably."""
    out = ['{"tag": %s, "commit": %s, "files": {' % (json.dumps(tag), json.dumps(commit))]
    for n, (path, entry) in enumerate(sorted(files.items())):
        out.append('%s: {"lines": %d, "symbols": [' % (json.dumps(path), entry["lines"]))
        out.append(",\n".join("  " + json.dumps(sym) for sym in entry["symbols"]))
        out.append("]}" + ("," if n < len(files) - 1 else ""))
    out.append("}}")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    repo = argv[0]
    commit = subprocess.run(["git", "-C", repo, "rev-parse", TAG + "^{commit}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    wanted = {c[2] for c in citations.citations()} | citations.mentioned_files()
    if INDEX.exists():
        wanted |= set(json.loads(INDEX.read_text())["files"])
    files = {}
    for path in sorted(wanted):
        proc = subprocess.run(["git", "-C", repo, "show", "%s:%s" % (TAG, path)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print("not in %s: %s" % (TAG, path))
            continue
        files[path] = {"lines": len(proc.stdout.splitlines()), "symbols": symbols(proc.stdout)}
    INDEX.write_text(render(TAG, commit, files))
    print("indexed %d files of nova %s (%s) into %s" % (len(files), TAG, commit[:10], INDEX))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
