"""Exercise 5.1 (reference solution): find the controller method, as ``Resource._get_method`` does.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/wsgi.py:1026-1052 (``Resource._get_method``) and 629-644
(``action_peek_json``).
"""

from __future__ import annotations

import json

from minova import exception

# Routes' default actions: a controller may leave them out and offer @action methods.
ROUTES_METHODS = ("create", "delete", "show", "update")


def peek_action(body) -> str:
    """The one top-level key of an ``/action`` body: ``b'{"reboot": {"type": "SOFT"}}'`` → ``'reboot'``."""
    try:
        decoded = json.loads(body)
    except ValueError:
        raise exception.MalformedRequestBody(reason="cannot understand JSON")
    if not isinstance(decoded, dict) or len(decoded) != 1:
        raise exception.MalformedRequestBody(reason="too many body keys")
    (name,) = decoded
    return name


def find_method(controller, action: str, body=b""):
    """The bound controller method that serves ``action`` (the routes match's ``action``)."""
    if hasattr(controller, action):
        return getattr(controller, action)
    actions = getattr(controller, "wsgi_actions", {})
    if not actions or action not in ROUTES_METHODS + ("action",):
        raise AttributeError(action)
    name = peek_action(body) if action == "action" else action
    return getattr(controller, actions[name])  # an unknown name: KeyError
