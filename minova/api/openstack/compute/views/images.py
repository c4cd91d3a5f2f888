"""Turn image dicts into the ``image`` dicts of the (deprecated, still used) compute image API.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/views/images.py
Now: nova/api/openstack/compute/views/images.py (the proxy API is frozen since 2.36)
"""

from __future__ import annotations

from minova.api.openstack import common

_STATUS_MAP = {"active": "ACTIVE", "queued": "SAVING", "saving": "SAVING",
               "deleted": "DELETED", "pending_delete": "DELETED", "killed": "ERROR"}
_PROGRESS_MAP = {"queued": 25, "saving": 50, "active": 100}


class ViewBuilder(common.ViewBuilder):
    """Model an image API response as a python dictionary.

    Mirrors: nova.api.openstack.compute.views.images.ViewBuilder
    (nova/api/openstack/compute/views/images.py, 2014.2)
    Simplified: no ``alternate`` link to glance (there is no glance).
    """

    _collection_name = "images"

    def basic(self, request, image) -> dict:
        return {"image": {
            "id": image["id"],
            "name": image["name"],
            "links": self._get_links(request, image["id"], self._collection_name),
        }}

    def show(self, request, image) -> dict:
        image_dict = {
            "id": image["id"],
            "name": image["name"],
            "minRam": int(image.get("min_ram") or 0),
            "minDisk": int(image.get("min_disk") or 0),
            "metadata": image.get("properties", {}),
            "created": common.isotime(image.get("created_at")),
            "updated": common.isotime(image.get("updated_at")),
            "status": _STATUS_MAP.get(image.get("status"), "UNKNOWN"),
            "progress": _PROGRESS_MAP.get(image.get("status"), 0),
            "links": self._get_links(request, image["id"], self._collection_name),
            "OS-EXT-IMG-SIZE:size": image.get("size"),
        }
        return {"image": image_dict}

    def index(self, request, images) -> dict:
        return self._list_view(self.basic, request, images, self._collection_name)

    def detail(self, request, images) -> dict:
        return self._list_view(self.show, request, images, self._collection_name + "/detail")

    def _list_view(self, func, request, images, coll_name: str) -> dict:
        image_list = [func(request, image)["image"] for image in images]
        images_dict = {"images": image_list}
        links = self._get_collection_links(request, images, coll_name, "id")
        if links:
            images_dict["images_links"] = links
        return images_dict
