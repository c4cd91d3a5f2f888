"""Exercise 3.4: rebuild ``Accept.best_match``, how urlmap reads a version out of ``Accept``.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/urlmap.py:97-146 (``Accept``; ``best_match`` at 102-129), used by
``URLMap._accept_strategy`` (222-235).  Check it with ``./course check 3.4``.
"""

from __future__ import annotations

from minova.api.openstack.urlmap import parse_list_header, parse_options_header  # noqa: F401


def best_match(accept: str, supported: list[str]) -> tuple[str | None, dict]:
    """The supported content type the ``Accept`` header likes best, with the client's params.

    ``best_match("application/json;version=2.1", ["application/json"])`` is
    ``("application/json", {"version": "2.1"})``.  A higher ``q`` (default 1)
    wins; on equal ``q`` the more specific mask wins (fewer ``*``: ``text/*``
    beats ``*/*``); ``*/*`` matches anything, ``type/*`` any subtype of type.
    Masks with a ``q`` that is not a number are skipped.  No match: ``(None, {})``.
    ``parse_list_header`` and ``parse_options_header`` split the header for you.
    """
    raise NotImplementedError(
        "Exercise 3.4: write best_match() in exercises/workspace/accept.py"
        " -- see notebooks/03_paste_urlmap.ipynb, section 'Exercise 3.4'")
