"""Exercise 6.1: build nova's RPC message and its AMQP envelope by hand.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo.messaging 1.4 ``_CallContext._make_message`` (oslo/messaging/rpc/client.py) and the
AMQP driver's ``_send`` (oslo/messaging/_drivers/amqpdriver.py, common.py), called from
nova/conductor/rpcapi.py:424 (``cctxt.cast(context, 'build_instances', **kw)``).
Check it with ``./course check 6.1`` (``--hint`` when stuck).
"""

from __future__ import annotations


def make_envelope(ctxt: dict, method: str, args: dict, namespace: str | None = None,
                  version: str | None = None) -> dict:
    """Return the body a cast publishes: ``{"oslo.version": "2.0", "oslo.message": "<json>"}``.

    The inner message (a JSON *string*) has ``method``, ``namespace`` and
    ``version`` (each only when given), ``args``, a fresh ``_unique_id`` (32 hex
    characters) and one ``_context_<key>`` entry per key of ``ctxt`` (the
    request context as a dict, what ``RequestContext.to_dict()`` returns).
    """
    raise NotImplementedError(
        "Exercise 6.1: write make_envelope() in exercises/workspace/envelope.py"
        " -- see notebooks/06_conductor_cast.ipynb, section 'Exercise 6.1'")
