"""The v2 compute router: which URL reaches which controller.

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/compute/__init__.py (``APIRouter._setup_routes`` at 50-128)
Now: nova/api/openstack/compute/routes.py (``ROUTE_LIST``, ``APIRouterV21``)
"""

from __future__ import annotations

from minova.api import openstack as openstack_api
from minova.api.openstack.compute import (
    extensions,
    flavors,
    images,
    limits,
    server_metadata,
    servers,
    versions,
)


class APIRouter(openstack_api.APIRouter):
    """Routes requests on the OpenStack API to the appropriate controller and method.

    ``/v2/{project_id}/...`` and ``/v2.1/[{project_id}/]...`` all end here
    (paste: ``minova.api.openstack.compute:APIRouter.factory``).

    Mirrors: nova.api.openstack.compute.APIRouter (nova/api/openstack/compute/__init__.py:44, 2014.2)
    Simplified: servers and their metadata, flavors, images, limits and versions (no
    consoles or ips); the rest comes from contrib extensions.
    NOVA-DIFF: /v2.1 goes through this router and its extensions too (Juno's
    v2.1 was a separate, disabled plugin API; nova master folded the keys the
    extensions add into its core views).
    """

    ExtensionManager = extensions.ExtensionManager

    def _setup_routes(self, mapper, ext_mgr, init_only):
        if init_only is None or "versions" in init_only:
            self.resources["versions"] = versions.create_resource()
            mapper.connect("versions", "/",
                           controller=self.resources["versions"],
                           action="show",
                           conditions={"method": ["GET"]})

        # GET /v2 → 302 to /v2/ (answered by routes itself).
        mapper.redirect("", "/")

        if init_only is None or "servers" in init_only:
            self.resources["servers"] = servers.create_resource(ext_mgr)
            # collection routes first: /servers/detail wins over /servers/{id}
            mapper.resource("server", "servers",
                            controller=self.resources["servers"],
                            collection={"detail": "GET"},
                            member={"action": "POST"})

        if init_only is None or "metadata" in init_only:
            # Juno 114-128: /servers/{server_id}/metadata[/{key}], PUT on the
            # collection replaces everything (update_all).
            self.resources["server_metadata"] = server_metadata.create_resource()
            mapper.resource("server_meta", "metadata",
                            controller=self.resources["server_metadata"],
                            parent_resource=dict(member_name="server",
                                                 collection_name="servers"))
            for prefix in ("/{project_id}", ""):  # ProjectMapper's two forms
                mapper.connect("metadata", prefix + "/servers/{server_id}/metadata",
                               controller=self.resources["server_metadata"],
                               action="update_all", conditions={"method": ["PUT"]})

        if init_only is None or "images" in init_only:
            self.resources["images"] = images.create_resource()
            mapper.resource("image", "images",
                            controller=self.resources["images"],
                            collection={"detail": "GET"})

        if init_only is None or "limits" in init_only:
            # Juno 87-90: GET /limits -> index (the other verbs answer 501).
            self.resources["limits"] = limits.create_resource()
            mapper.resource("limit", "limits", controller=self.resources["limits"])

        if init_only is None or "flavors" in init_only:
            self.resources["flavors"] = flavors.create_resource()
            mapper.resource("flavor", "flavors",
                            controller=self.resources["flavors"],
                            collection={"detail": "GET"},
                            member={"action": "POST"})
