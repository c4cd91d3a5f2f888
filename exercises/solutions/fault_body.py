"""Exercise 5.3 (reference solution): the JSON body of nova's faults.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/wsgi.py:1166-1228 (``Fault``).
"""

from __future__ import annotations

FAULT_NAMES = {
    400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
    405: "badMethod", 409: "conflictingRequest", 413: "overLimit", 415: "badMediaType",
    429: "overLimit", 501: "notImplemented", 503: "serviceUnavailable",
}


def fault_body(code: int, message: str, headers: dict | None = None) -> dict:
    """``{<fault name>: {"code": code, "message": message}}`` for an HTTP error ``code``."""
    name = FAULT_NAMES.get(code, "computeFault")
    detail = {"code": code, "message": message}
    retry = (headers or {}).get("Retry-After")
    if code in (413, 429) and retry:
        detail["retryAfter"] = retry
    return {name: detail}
