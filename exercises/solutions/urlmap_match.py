"""Exercise 3.1 (reference solution): urlmap's longest-prefix match.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno's ``nova.api.openstack.urlmap.URLMap._match`` (nova/api/openstack/urlmap.py:165)
walks ``paste.urlmap.URLMap.applications``, which ``__setitem__`` keeps sorted longest first.
"""

from __future__ import annotations

import re

_SLASHES = re.compile("//+")


def match(mounts: dict, path_info: str):
    """Find the app mounted at the longest prefix of ``path_info``.

    Return ``(app, script_name, rest_of_path_info)``, or ``None`` when no
    mount matches.
    """
    normalised = {_SLASHES.sub("/", url).rstrip("/"): app for url, app in mounts.items()}
    path_info = _SLASHES.sub("/", path_info)
    for url in sorted(normalised, key=len, reverse=True):
        # A prefix must end at a segment boundary: /v2 matches /v2/x, not /v20.
        if path_info == url or path_info.startswith(url + "/"):
            return normalised[url], url, path_info[len(url):]
    return None
