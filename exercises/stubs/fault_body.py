"""Exercise 5.3: the JSON body of nova's faults, as ``Fault.__call__`` builds it.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/wsgi.py:1166-1228 (``Fault``: ``_fault_names`` at 1169-1180,
the body in ``__call__`` at 1189-1225).  Check it with ``./course check 5.3``.
"""

from __future__ import annotations


def fault_body(code: int, message: str, headers: dict | None = None) -> dict:
    """``{<fault name>: {"code": code, "message": message}}`` for an HTTP error ``code``.

    The name comes from the status code (400 ``badRequest``, 404 ``itemNotFound``,
    429 ``overLimit``, ...: the notebook's fault table); any code without a name
    gives ``computeFault``.  For 413 and 429 only, a ``Retry-After`` entry in
    ``headers`` (a dict of str to str) is copied into the body as ``"retryAfter"``.
    """
    raise NotImplementedError(
        "Exercise 5.3: write fault_body() in exercises/workspace/fault_body.py"
        " -- see notebooks/05_resource_dispatch.ipynb, section 'Exercise 5.3'")
