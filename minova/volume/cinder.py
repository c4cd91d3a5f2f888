"""The volume API the compute API holds: a stub with no volumes (boot from volume is left out).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/volume/cinder.py (``API`` at line 278)
Now: nova/volume/cinder.py
"""

from __future__ import annotations

from minova import exception


class API:
    """An empty cinder: lookups find nothing, listings are empty.

    Mirrors: nova.volume.cinder.API (nova/volume/cinder.py:278, 2014.2)
    Simplified: no cinder client, no attach/detach; present so the compute API
    holds the same four collaborators as Juno's.
    """

    def get(self, context, volume_id: str) -> dict:
        raise exception.VolumeNotFound(volume_id=volume_id)

    def get_all(self, context, search_opts: dict | None = None) -> list[dict]:
        return []
