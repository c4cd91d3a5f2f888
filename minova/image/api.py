"""The image API the compute API holds, backed by a small in-process image catalogue.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/image/api.py (``API`` at 21-178, calling glance through nova/image/glance.py)
Now: nova/image/glance.py ``API`` (talks to glance through openstacksdk)
"""

from __future__ import annotations

import copy
import datetime

from minova import exception

_CREATED = datetime.datetime(2014, 10, 16, 12, 0, 0)


def _image(image_id: str, name: str, disk_format: str, size: int, properties: dict) -> dict:
    """One image as Juno's glance client translation returns it (nova/image/glance.py)."""
    container = {"ami": "ami", "aki": "aki", "ari": "ari"}.get(disk_format, "bare")
    return {
        "id": image_id, "name": name, "status": "active", "is_public": True,
        "created_at": _CREATED, "updated_at": _CREATED, "deleted_at": None, "deleted": False,
        "disk_format": disk_format, "container_format": container, "size": size,
        "min_ram": 0, "min_disk": 0, "checksum": None, "owner": None,
        "properties": properties,
    }


KERNEL_ID = "a2459075-d96c-40d5-893e-577ff92e721c"
RAMDISK_ID = "76fa36fc-c930-4bf3-8c8a-ea2a2420deb6"
CIRROS_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"

# The images a Juno devstack uploads (cirros 0.3.2 as kernel + ramdisk + machine
# image), plus one plain qcow2 image.
_IMAGES = [
    _image(KERNEL_ID, "cirros-0.3.2-x86_64-uec-kernel", "aki", 4969360, {}),
    _image(RAMDISK_ID, "cirros-0.3.2-x86_64-uec-ramdisk", "ari", 3723817, {}),
    _image(CIRROS_ID, "cirros-0.3.2-x86_64-uec", "ami", 25165824,
           {"kernel_id": KERNEL_ID, "ramdisk_id": RAMDISK_ID}),
    _image("cedef40a-ed67-4d10-800e-17455edce175", "cirros-0.3.2-x86_64-disk", "qcow2",
           13167616, {}),
]


class FakeImageService:
    """A fixed, read-only image catalogue kept in memory (glance's part in this story).

    Mirrors: nova.image.glance.GlanceImageService (nova/image/glance.py, 2014.2)
    Simplified: no glance server, no uploads or deletes; four fixed public images.
    """

    def __init__(self, images: list[dict] | None = None):
        self.images = {i["id"]: i for i in (images if images is not None else _IMAGES)}

    def detail(self, context, filters=None, marker=None, limit=None) -> list[dict]:
        images = sorted(self.images.values(), key=lambda i: i["name"])
        for key, value in (filters or {}).items():
            images = [i for i in images if str(i.get(key)) == str(value)]
        if marker is not None:
            ids = [i["id"] for i in images]
            if marker not in ids:
                raise exception.MarkerNotFound(marker=marker)
            images = images[ids.index(marker) + 1:]
        if limit is not None:
            images = images[:limit]
        return copy.deepcopy(images)

    def show(self, context, image_id: str) -> dict:
        try:
            return copy.deepcopy(self.images[image_id])
        except (KeyError, TypeError):
            raise exception.ImageNotFound(image_id=image_id)


class API:
    """Responsible for exposing a relatively stable image API to the rest of minova.

    Mirrors: nova.image.api.API (nova/image/api.py:21, 2014.2)
    Simplified: one in-process image service instead of a glance client per call.
    """

    def __init__(self, image_service: FakeImageService | None = None):
        self._service = image_service or FakeImageService()

    def get_all(self, context, **kwargs) -> list[dict]:
        """Images visible to ``context``; ``filters``, ``marker``, ``limit`` as glance takes them."""
        return self._service.detail(context, **kwargs)

    def get(self, context, id_or_uri: str) -> dict:
        """One image by id (an href's last path segment also works); ImageNotFound if unknown."""
        image_id = str(id_or_uri).rstrip("/").rsplit("/", 1)[-1]
        return self._service.show(context, image_id)
