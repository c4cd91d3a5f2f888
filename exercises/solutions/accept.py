"""Exercise 3.4 (reference solution): rebuild ``Accept.best_match``.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/urlmap.py:97-146 (``Accept``; ``best_match`` at 102-129), used by
``URLMap._accept_strategy`` (222-235).
"""

from __future__ import annotations

from minova.api.openstack.urlmap import parse_list_header, parse_options_header


def _fits(mask: str, content_type: str) -> bool:
    if mask == "*/*":
        return True
    if mask.endswith("/*"):
        return content_type.split("/", 1)[0] == mask[:-2]
    return mask == content_type


def best_match(accept: str, supported: list[str]) -> tuple[str | None, dict]:
    """The supported content type the ``Accept`` header likes best, with the client's params."""
    masks = [parse_options_header(item) for item in parse_list_header(accept)]
    best = (-1.0, None, {}, "*/*")   # quality, content type, params, mask
    for content_type in supported:
        for mask, params in masks:
            try:
                quality = float(params.get("q", 1))
            except (TypeError, ValueError):
                continue
            better = quality > best[0] or (quality == best[0]
                                           and mask.count("*") < best[3].count("*"))
            if better and _fits(mask, content_type):
                best = (quality, content_type, params, mask)
    return best[1], best[2]
