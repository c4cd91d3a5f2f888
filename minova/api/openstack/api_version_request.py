"""Microversions: which compute API version a /v2.1 request asks for, and what the answer says.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: none (microversions arrived in Kilo, 2015; Juno's /v2.1 was an experimental v3 alias)
Now: nova/api/openstack/api_version_request.py (min 2.1, max 2.104, default 2.1)
"""

from __future__ import annotations

import re

from minova import exception

API_VERSION_REQUEST_HEADER = "OpenStack-API-Version"
LEGACY_API_VERSION_REQUEST_HEADER = "X-OpenStack-Nova-API-Version"
SERVICE_TYPE = "compute"

# NOVA-DIFF: minova serves the base microversion only, and says so in its
# version documents, so clients never ask for more.
MIN_API_VERSION = "2.1"
MAX_API_VERSION = "2.1"
DEFAULT_API_VERSION = MIN_API_VERSION

_VERSION_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class APIVersionRequest:
    """A ``major.minor`` version that compares as a pair of integers ("2.10" > "2.9").

    Mirrors: nova.api.openstack.api_version_request.APIVersionRequest (nova master)
    Simplified: no null version, no ``matches()`` ranges.
    """

    def __init__(self, version_string: str):
        match = _VERSION_RE.match(version_string)
        if not match:
            raise exception.InvalidAPIVersionString(version=version_string)
        self.ver_major, self.ver_minor = int(match.group(1)), int(match.group(2))

    def _tuple(self) -> tuple[int, int]:
        return self.ver_major, self.ver_minor

    def __lt__(self, other: APIVersionRequest) -> bool:
        return self._tuple() < other._tuple()

    def __eq__(self, other) -> bool:
        return isinstance(other, APIVersionRequest) and self._tuple() == other._tuple()

    def __str__(self) -> str:
        return "%d.%d" % self._tuple()


def _requested_version(headers) -> str | None:
    """The version string from ``OpenStack-API-Version: compute X`` or the legacy header."""
    for item in headers.get(API_VERSION_REQUEST_HEADER, "").split(","):
        service, _sep, version = item.strip().partition(" ")
        if service.lower() == SERVICE_TYPE:
            return version.strip()
    return headers.get(LEGACY_API_VERSION_REQUEST_HEADER)


def from_headers(headers) -> APIVersionRequest:
    """The version a request asks for; 400 if malformed, 406 if outside what minova serves."""
    version = _requested_version(headers)
    if version is None:
        return APIVersionRequest(DEFAULT_API_VERSION)
    if version.strip().lower() == "latest":
        return APIVersionRequest(MAX_API_VERSION)
    requested = APIVersionRequest(version.strip())
    if requested < APIVersionRequest(MIN_API_VERSION) or \
            APIVersionRequest(MAX_API_VERSION) < requested:
        raise exception.InvalidGlobalAPIVersion(req_ver=str(requested),
                                                min_ver=MIN_API_VERSION,
                                                max_ver=MAX_API_VERSION)
    return requested


def response_headers(version: APIVersionRequest) -> list[tuple[str, str]]:
    """The headers nova master puts on every /v2.1 answer, faults included."""
    return [
        (API_VERSION_REQUEST_HEADER, "%s %s" % (SERVICE_TYPE, version)),
        (LEGACY_API_VERSION_REQUEST_HEADER, str(version)),
        ("Vary", "%s, %s" % (API_VERSION_REQUEST_HEADER, LEGACY_API_VERSION_REQUEST_HEADER)),
    ]
