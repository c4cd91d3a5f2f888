"""Turn the ``VERSIONS`` table into the version documents clients discover the API with.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/compute/views/versions.py
Now: nova/api/openstack/compute/views/versions.py
"""

from __future__ import annotations

import copy
import os


def get_view_builder(req) -> ViewBuilder:
    """A builder whose links start at the request's application URL (host + SCRIPT_NAME)."""
    return ViewBuilder(req.application_url)


class ViewBuilder:
    """Build ``{"versions": [...]}``, ``{"version": {...}}`` and ``{"choices": [...]}``.

    Mirrors: nova.api.openstack.compute.views.versions.ViewBuilder
    (nova/api/openstack/compute/views/versions.py:27, 2014.2)
    Simplified: no ``osapi_compute_link_prefix`` rewriting of the base URL.
    """

    def __init__(self, base_url: str):
        """:param base_url: URL of the app that answers (``req.application_url``)."""
        self.base_url = base_url

    def build_choices(self, versions: dict, req) -> dict:
        """The 300 Multiple Choices body: every version, linked to the path asked for."""
        return {"choices": [{
            "id": version["id"],
            "status": version["status"],
            "links": [{"rel": "self", "href": self.generate_href(version["id"], req.path)}],
            "media-types": version["media-types"],
        } for version in (versions[key] for key in sorted(versions))]}

    def build_versions(self, versions: dict) -> dict:
        """The ``GET /`` body: one summary per version, each with its ``self`` link."""
        # NOVA-DIFF: Juno listed only id/status/updated/links; nova master adds
        # ``version`` and ``min_version``, which novaclient and keystoneauth read.
        return {"versions": [{
            "id": version["id"],
            "status": version["status"],
            "version": version["version"],
            "min_version": version["min_version"],
            "updated": version["updated"],
            "links": self._build_links(version),
        } for version in (versions[key] for key in sorted(versions))]}

    def build_version(self, version: dict) -> dict:
        """One version's full document, its ``self`` link put first."""
        result = copy.deepcopy(version)
        result["links"].insert(0, {"rel": "self", "href": self.base_url.rstrip("/") + "/"})
        return {"version": result}

    def _build_links(self, version_data: dict) -> list[dict]:
        return [{"rel": "self", "href": self.generate_href(version_data["id"])}]

    def generate_href(self, version: str, path: str | None = None) -> str:
        """``<base>/v2/`` or ``<base>/v2.1/`` (plus ``path`` when given)."""
        # NOVA-DIFF: Juno linked every 2.x version to /v2/ (only v3 differed);
        # nova master links v2.1 to /v2.1/, where minova serves it.
        version_number = "v2.1" if version.startswith("v2.1") else "v2"
        if path:
            return os.path.join(self.base_url, version_number, path.strip("/"))
        return os.path.join(self.base_url, version_number) + "/"
