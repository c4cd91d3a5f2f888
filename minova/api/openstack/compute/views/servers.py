"""Turn instance rows into the ``server`` dicts of the API (index, detail, show, create).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/views/servers.py (``ViewBuilder`` at 34-234)
Now: nova/api/openstack/compute/views/servers.py
"""

from __future__ import annotations

import functools
import hashlib
import json

import sqlalchemy

from minova.api.openstack import common
from minova.api.openstack.compute.views import flavors as views_flavors
from minova.api.openstack.compute.views import images as views_images
from minova.db.sqlalchemy import models

# Statuses during which Juno shows ``progress`` / ``fault``.
_PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE")
_FAULT_STATUSES = ("ERROR", "DELETED")


class ViewBuilder(common.ViewBuilder):
    """Model a server API response as a python dictionary.

    The core keys only: ``OS-EXT-STS:*``, ``key_name``, ``security_groups``,
    ``OS-DCF:diskConfig``... are added afterwards by the contrib extensions
    (api/openstack/compute/contrib/), on ``show`` and ``detail``, as in Juno.

    Mirrors: nova.api.openstack.compute.views.servers.ViewBuilder
    (nova/api/openstack/compute/views/servers.py:34, 2014.2)
    """

    _collection_name = "servers"

    def __init__(self):
        self._flavor_builder = views_flavors.ViewBuilder()
        self._image_builder = views_images.ViewBuilder()

    def create(self, request, instance) -> dict:
        """The 202 body of ``POST /servers``: id and links (extensions add the rest)."""
        return {"server": {
            "id": instance.uuid,
            "links": self._get_links(request, instance.uuid, self._collection_name),
        }}

    def basic(self, request, instance) -> dict:
        return {"server": {
            "id": instance.uuid,
            "name": instance.display_name,
            "links": self._get_links(request, instance.uuid, self._collection_name),
        }}

    def show(self, request, instance) -> dict:
        """Every key of Juno's core view (extensions add theirs after)."""
        f = _fields(instance)
        status = common.status_from_state(f["vm_state"], f["task_state"])
        server = {
            "id": f["uuid"],
            "name": f["display_name"],
            "status": status,
            "tenant_id": f["project_id"],
            "user_id": f["user_id"],
            "metadata": dict(f["metadata_"] or {}),
            "hostId": _get_host_id(f["project_id"], f["host"]),
            "image": self._get_image(request, f["image_ref"]),
            "flavor": self._get_flavor(request, f["flavor_id"]),
            "created": common.isotime(f["created_at"]),
            "updated": common.isotime(f["updated_at"] or f["created_at"]),
            "addresses": _get_addresses(f["addresses"]),
            "accessIPv4": f["access_ip_v4"] or "",
            "accessIPv6": f["access_ip_v6"] or "",
            "links": self._get_links(request, f["uuid"], self._collection_name),
        }
        if status in _FAULT_STATUSES and f["fault"]:
            server["fault"] = _get_fault(f["fault"], f["updated_at"])
        if status in _PROGRESS_STATUSES:
            server["progress"] = 0  # minova keeps no progress column; nova's samples show 0
        return {"server": server}

    def index(self, request, instances) -> dict:
        return self._list_view(self.basic, request, instances, self._collection_name)

    def detail(self, request, instances) -> dict:
        # NOVA-DIFF (as nova master): the next link of a detail page points at
        # /servers/detail; Juno pointed it at /servers (the index).
        return self._list_view(self.show, request, instances,
                               self._collection_name + "/detail")

    def _list_view(self, func, request, servers, coll_name: str) -> dict:
        server_list = [func(request, server)["server"] for server in servers]
        servers_dict = {"servers": server_list}
        links = self._get_collection_links(request, server_list, coll_name, "id")
        if links:
            servers_dict["servers_links"] = links
        return servers_dict

    def _get_image(self, request, image_ref):
        if not image_ref:
            return ""  # booted from a volume
        image_id = common.get_id_from_href(image_ref)
        bookmark = self._image_builder._get_bookmark_link(request, image_id, "images")
        return {"id": image_id, "links": [{"rel": "bookmark", "href": bookmark}]}

    def _get_flavor(self, request, flavor_id) -> dict:
        bookmark = self._flavor_builder._get_bookmark_link(request, flavor_id, "flavors")
        return {"id": str(flavor_id), "links": [{"rel": "bookmark", "href": bookmark}]}


_FIELDS = [attr.key for attr in sqlalchemy.inspect(models.Instance).column_attrs]
_FIELD_SET = frozenset(_FIELDS)


def _fields(instance) -> dict:
    """The row's column values, read once.

    Each read of a mapped attribute goes through SQLAlchemy's instrumentation
    (about half a microsecond); a detail page reads ~30 per server, so take the
    loaded values straight from the instance's ``__dict__``, where SQLAlchemy
    keeps them, and fall back to the attribute for anything not loaded.
    """
    loaded = instance.__dict__
    if loaded.keys() >= _FIELD_SET:
        return loaded  # a row fetched whole, the usual case: no copy needed (read only)
    return {key: loaded[key] if key in loaded else getattr(instance, key) for key in _FIELDS}


# A page repeats the same few (project, host) pairs: hash each pair once.
@functools.lru_cache(maxsize=1024)
def _get_host_id(project_id: str, host: str | None) -> str:
    """sha224(project + host): tells a project which of its servers share a host."""
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def _get_addresses(addresses: dict | None) -> dict:
    """``{label: [{"addr", "version"}]}`` (extended_ips and extended_ips_mac add their keys)."""
    return {label: [{"addr": ip["addr"], "version": ip["version"]} for ip in ips]
            for label, ips in (addresses or {}).items()}


def _get_fault(fault_text: str, updated_at) -> dict:
    """The ``fault`` column holds JSON {"code", "message", "created"}; plain text also works."""
    try:
        fault = json.loads(fault_text)
    except ValueError:
        fault = {"message": fault_text}
    if not isinstance(fault, dict):
        fault = {"message": str(fault)}
    return {"code": fault.get("code", 500), "message": fault.get("message", ""),
            "created": fault.get("created") or common.isotime(updated_at)}

