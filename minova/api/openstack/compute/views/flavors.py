"""Turn flavor dicts into the ``flavor`` dicts of the API.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/views/flavors.py
Now: nova/api/openstack/compute/views/flavors.py
"""

from __future__ import annotations

from minova.api.openstack import common


class ViewBuilder(common.ViewBuilder):
    """Model a flavor API response as a python dictionary.

    Mirrors: nova.api.openstack.compute.views.flavors.ViewBuilder
    (nova/api/openstack/compute/views/flavors.py, 2014.2)
    Simplified: NOVA-DIFF: the extension keys (OS-FLV-EXT-DATA, OS-FLV-DISABLED,
    os-flavor-access, swap, rxtx_factor) are part of the core view.
    """

    _collection_name = "flavors"

    def basic(self, request, flavor) -> dict:
        return {"flavor": {
            "id": flavor["flavorid"],
            "name": flavor["name"],
            "links": self._get_links(request, flavor["flavorid"], self._collection_name),
        }}

    def show(self, request, flavor) -> dict:
        return {"flavor": {
            "id": flavor["flavorid"],
            "name": flavor["name"],
            "ram": flavor["memory_mb"],
            "disk": flavor["root_gb"],
            "vcpus": flavor.get("vcpus", ""),
            "links": self._get_links(request, flavor["flavorid"], self._collection_name),
            "OS-FLV-EXT-DATA:ephemeral": flavor["ephemeral_gb"],
            "OS-FLV-DISABLED:disabled": flavor["disabled"],
            "os-flavor-access:is_public": flavor["is_public"],
            "swap": flavor["swap"] or "",
            "rxtx_factor": flavor["rxtx_factor"],
        }}

    def index(self, request, flavors) -> dict:
        return self._list_view(self.basic, request, flavors, self._collection_name)

    def detail(self, request, flavors) -> dict:
        return self._list_view(self.show, request, flavors, self._collection_name + "/detail")

    def _list_view(self, func, request, flavors, coll_name: str) -> dict:
        flavor_list = [func(request, flavor)["flavor"] for flavor in flavors]
        flavors_dict = {"flavors": flavor_list}
        links = self._get_collection_links(request, flavors, coll_name, "flavorid")
        if links:
            flavors_dict["flavors_links"] = links
        return flavors_dict
