"""Exercise 6.3 (reference solution): the RPC dispatcher's rule.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo.messaging 1.4 ``RPCDispatcher.__call__`` and ``version_is_compatible``.
"""

from __future__ import annotations

from minova import messaging


def _compatible(have: str, want: str) -> bool:
    have_major, have_minor = (int(x) for x in have.split(".")[:2])
    want_major, want_minor = (int(x) for x in want.split(".")[:2])
    return have_major == want_major and have_minor >= want_minor


def choose_endpoint(endpoints: list, namespace: str | None, version: str | None, method: str):
    """Return the endpoint that serves ``method`` at ``namespace``/``version``."""
    version = version or "1.0"
    qualified = False
    for endpoint in endpoints:
        target = getattr(endpoint, "target", None)
        ep_namespace = target.namespace if target is not None else None
        ep_version = (target.version if target is not None else None) or "1.0"
        if ep_namespace != namespace or not _compatible(ep_version, version):
            continue
        qualified = True
        if not method.startswith("_") and hasattr(endpoint, method):
            return endpoint
    if qualified:
        raise messaging.NoSuchMethod(method)
    raise messaging.UnsupportedVersion(version, method=method)
