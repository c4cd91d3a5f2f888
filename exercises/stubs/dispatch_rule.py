"""Exercise 6.3: the RPC dispatcher's rule -- which endpoint takes a message.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo.messaging 1.4 ``RPCDispatcher.__call__`` (oslo/messaging/rpc/dispatcher.py) and
``version_is_compatible`` (oslo/messaging/_utils.py); the conductor's endpoints are set up in
nova/conductor/manager.py:82 (ConductorManager 2.0) and 451 (ComputeTaskManager, compute_task 1.9).
Check it with ``./course check 6.3`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova import messaging  # noqa: F401  (messaging.UnsupportedVersion, messaging.NoSuchMethod)


def choose_endpoint(endpoints: list, namespace: str | None, version: str | None, method: str):
    """Return the endpoint that serves ``method`` at ``namespace``/``version``.

    Each endpoint may have a ``target`` attribute (a ``messaging.Target``; none means
    namespace None, version "1.0"); a message without a version asks for "1.0".
    An endpoint qualifies when its namespace equals the message's and its
    version is compatible: same major, minor at least as high. The first
    qualifying endpoint that has the method (not a ``_private`` one) wins.
    Raise ``messaging.NoSuchMethod(method)`` when some endpoint qualified but
    none has the method, ``messaging.UnsupportedVersion(version, method=method)``
    when none qualified.
    """
    raise NotImplementedError(
        "Exercise 6.3: write choose_endpoint() in exercises/workspace/dispatch_rule.py"
        " -- see notebooks/06_conductor_cast.ipynb, section 'Exercise 6.3'")
