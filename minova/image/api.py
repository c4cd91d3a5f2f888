"""The image API the compute API holds, backed by a small in-process image catalogue.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/image/api.py (``API`` at 21-178, calling glance through nova/image/glance.py)
Now: nova/image/glance.py ``API`` (talks to glance through openstacksdk)
"""

from __future__ import annotations

import copy
import datetime
import uuid

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


def _from_row(row) -> dict:
    """A snapshot's database row in the same shape as the fixed images."""
    return {
        "id": row.id, "name": row.name, "status": row.status, "is_public": row.is_public,
        "created_at": row.created_at, "updated_at": row.updated_at or row.created_at,
        "deleted_at": None, "deleted": False, "disk_format": row.disk_format,
        "container_format": row.container_format, "size": row.size, "min_ram": row.min_ram,
        "min_disk": row.min_disk, "checksum": None, "owner": row.owner,
        "properties": dict(row.properties or {}),
    }


def _visible(context, row) -> bool:
    return (row.is_public or context is None or getattr(context, "is_admin", False)
            or row.owner == context.project_id)


class FakeImageService:
    """Four fixed public images in code, and the snapshots servers made (glance's part here).

    Mirrors: nova.image.glance.GlanceImageService (nova/image/glance.py, 2014.2)
    Simplified: no glance server and no image data; a snapshot is a row of
    minova's ``images`` table (NOVA-DIFF: glance keeps its own database), so every
    process sees it. The fixed images can be neither changed nor deleted.
    """

    def __init__(self, images: list[dict] | None = None):
        self.images = {i["id"]: i for i in (images if images is not None else _IMAGES)}
        self.use_db = images is None  # a test's own catalogue stays in memory only

    def _snapshots(self, context) -> list[dict]:
        if not self.use_db:
            return []
        from minova.db import api as db
        return [_from_row(row) for row in db.image_get_all(context) if _visible(context, row)]

    def detail(self, context, filters=None, marker=None, limit=None) -> list[dict]:
        images = sorted(list(self.images.values()) + self._snapshots(context),
                        key=lambda i: (i["name"] or "", i["id"]))
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
        if isinstance(image_id, str) and image_id in self.images:
            return copy.deepcopy(self.images[image_id])
        row = self._row(context, image_id)
        if not _visible(context, row):
            raise exception.ImageNotFound(image_id=image_id)
        return _from_row(row)

    def _row(self, context, image_id):
        if not self.use_db or not isinstance(image_id, str):
            raise exception.ImageNotFound(image_id=image_id)
        from minova.db import api as db
        return db.image_get(context, image_id)

    def create(self, context, image_meta: dict) -> dict:
        """A new image record, ``queued`` until its data is uploaded (glance v1 ``POST /images``)."""
        from minova.db import api as db
        row = db.image_create(context, {
            "id": str(uuid.uuid4()), "name": image_meta.get("name"), "status": "queued",
            "owner": getattr(context, "project_id", None),
            "is_public": bool(image_meta.get("is_public", False)),
            "disk_format": image_meta.get("disk_format"),
            "container_format": image_meta.get("container_format"),
            "min_ram": image_meta.get("min_ram") or 0, "min_disk": image_meta.get("min_disk") or 0,
            "properties": dict(image_meta.get("properties") or {})})
        return _from_row(row)

    def update(self, context, image_id: str, image_meta: dict) -> dict:
        """Change a snapshot's status, size or name (what an upload ends with)."""
        from minova.db import api as db
        if image_id in self.images:
            raise exception.ImageNotAuthorized(image_id=image_id)
        self._row(context, image_id)
        values = {k: v for k, v in image_meta.items() if k in ("name", "status", "size")}
        return _from_row(db.image_update(context, image_id, values))

    def delete(self, context, image_id: str) -> None:
        """Only the owner (or an admin) deletes a snapshot; the fixed images stay."""
        from minova.db import api as db
        if image_id in self.images:
            raise exception.ImageNotAuthorized(image_id=image_id)
        row = self._row(context, image_id)
        if not _visible(context, row):
            raise exception.ImageNotFound(image_id=image_id)
        if row.owner != context.project_id and not context.is_admin:
            raise exception.ImageNotAuthorized(image_id=image_id)
        db.image_destroy(context, image_id)


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

    def create(self, context, image_info: dict) -> dict:
        """Juno: nova/image/api.py:91 (glance creates the record; the data comes later)."""
        return self._service.create(context, image_info)

    def update(self, context, id_or_uri: str, image_info: dict) -> dict:
        """Juno: nova/image/api.py:104."""
        return self._service.update(context, id_or_uri, image_info)

    def delete(self, context, id_or_uri: str) -> None:
        """Juno: nova/image/api.py:128."""
        self._service.delete(context, id_or_uri)
