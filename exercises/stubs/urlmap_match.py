"""Exercise 3.1: urlmap's longest-prefix match.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno's ``nova.api.openstack.urlmap.URLMap._match`` (nova/api/openstack/urlmap.py:165)
walks ``paste.urlmap.URLMap.applications``, which ``__setitem__`` keeps sorted longest first.
Check it with ``./course check 3.1`` (``--hint`` when stuck).
"""

from __future__ import annotations


def match(mounts: dict, path_info: str):
    """Find the app mounted at the longest prefix of ``path_info``.

    ``mounts`` maps URL prefixes as written in api-paste.ini (``"/"``,
    ``"/v2"``, ``"/v1.1/"``) to apps.  Return ``(app, script_name,
    rest_of_path_info)``, or ``None`` when no mount matches, exactly as
    ``paste.urlmap.URLMap`` would split ``SCRIPT_NAME`` and ``PATH_INFO``.
    """
    raise NotImplementedError(
        "Exercise 3.1: write match() in exercises/workspace/urlmap_match.py"
        " -- see notebooks/03_paste_urlmap.ipynb, section 'Exercise 3.1'")
