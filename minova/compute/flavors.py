"""The five flavors every Juno install starts with, looked up by their API id.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/compute/flavors.py (rows in the ``instance_types`` table, created by migration 216)
Now: nova/compute/flavors.py (flavors live in the API database; no defaults are created)
"""

from __future__ import annotations

from minova import exception


def _flavor(flavorid: str, name: str, memory_mb: int, vcpus: int, root_gb: int) -> dict:
    return {
        "id": int(flavorid), "flavorid": flavorid, "name": name,
        "memory_mb": memory_mb, "vcpus": vcpus, "root_gb": root_gb,
        "ephemeral_gb": 0, "swap": 0, "rxtx_factor": 1.0,
        "vcpu_weight": None, "disabled": False, "is_public": True,
        "extra_specs": {},
    }


# NOVA-DIFF: Juno keeps flavors in a table that admins can change; minova keeps
# Juno's five default rows as constants (nothing in the course creates flavors).
DEFAULT_FLAVORS = {
    f["flavorid"]: f for f in (
        _flavor("1", "m1.tiny", 512, 1, 1),
        _flavor("2", "m1.small", 2048, 1, 20),
        _flavor("3", "m1.medium", 4096, 2, 40),
        _flavor("4", "m1.large", 8192, 4, 80),
        _flavor("5", "m1.xlarge", 16384, 8, 160),
    )
}


def get_flavor_by_flavor_id(flavorid, ctxt=None, read_deleted: str = "yes") -> dict:
    """The flavor whose API id is ``flavorid`` (a copy), or FlavorNotFound."""
    try:
        return dict(DEFAULT_FLAVORS[str(flavorid)])
    except KeyError:
        raise exception.FlavorNotFound(flavor_id=flavorid)


def get_all_flavors_sorted_list(ctxt=None, filters: dict | None = None,
                                sort_key: str = "flavorid", sort_dir: str = "asc",
                                limit: int | None = None, marker: str | None = None) -> list[dict]:
    """All flavors ordered by ``sort_key``; ``marker`` is the last flavorid already seen."""
    flavors = sorted(DEFAULT_FLAVORS.values(), key=lambda f: f[sort_key],
                     reverse=(sort_dir == "desc"))
    filters = filters or {}
    if "min_memory_mb" in filters:
        flavors = [f for f in flavors if f["memory_mb"] >= filters["min_memory_mb"]]
    if "min_root_gb" in filters:
        flavors = [f for f in flavors if f["root_gb"] >= filters["min_root_gb"]]
    if marker is not None:
        ids = [f["flavorid"] for f in flavors]
        if marker not in ids:
            raise exception.MarkerNotFound(marker=marker)
        flavors = flavors[ids.index(marker) + 1:]
    if limit is not None:
        flavors = flavors[:limit]
    return [dict(f) for f in flavors]
