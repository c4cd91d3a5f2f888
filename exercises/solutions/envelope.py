"""Exercise 6.1 (reference solution): nova's RPC message and its AMQP envelope.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo.messaging 1.4 ``_CallContext._make_message`` and the AMQP driver's ``_send``,
called from nova/conductor/rpcapi.py:424.
"""

from __future__ import annotations

import json
import uuid


def make_envelope(ctxt: dict, method: str, args: dict, namespace: str | None = None,
                  version: str | None = None) -> dict:
    """Return the body a cast publishes: ``{"oslo.version": "2.0", "oslo.message": "<json>"}``."""
    msg = {"method": method}
    if namespace is not None:
        msg["namespace"] = namespace
    if version is not None:
        msg["version"] = version
    msg["args"] = dict(args)
    msg["_unique_id"] = uuid.uuid4().hex
    for key, value in ctxt.items():
        msg["_context_" + key] = value
    return {"oslo.version": "2.0", "oslo.message": json.dumps(msg)}
