"""Exercise 5.1: find the controller method for a request, as ``Resource._get_method`` does.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/wsgi.py:1026-1052 (``Resource._get_method``) and 629-644
(``action_peek_json``).  Check it with ``./course check 5.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova import exception  # noqa: F401  (MalformedRequestBody is yours to raise)

# Routes' default actions: a controller may leave them out and offer @action methods.
ROUTES_METHODS = ("create", "delete", "show", "update")


def peek_action(body) -> str:
    """The one top-level key of an ``/action`` body: ``b'{"reboot": {"type": "SOFT"}}'`` → ``'reboot'``.

    ``body`` is the request body (bytes or str).  Raise
    ``exception.MalformedRequestBody`` when it is not JSON, not an object, or has
    not exactly one key.
    """
    raise NotImplementedError(
        "Exercise 5.1: write peek_action() in exercises/workspace/get_method.py"
        " -- see notebooks/05_resource_dispatch.ipynb, section 'Exercise 5.1'")


def find_method(controller, action: str, body=b""):
    """The bound controller method that serves ``action`` (the routes match's ``action``).

    - the controller has an attribute named ``action`` → that attribute
      (``'detail'`` → ``controller.detail``);
    - else, when ``action`` is ``'action'`` or one of ``ROUTES_METHODS`` and the
      controller has ``@wsgi.action`` methods (its ``wsgi_actions``, filled by
      ``ControllerMetaclass``: ``{'reboot': '_action_reboot'}``): the action name
      is peeked from the body for ``'action'`` (else it is ``action`` itself) and
      the method named in ``wsgi_actions`` is returned; an unknown name raises
      ``KeyError``;
    - otherwise ``AttributeError``.
    """
    raise NotImplementedError(
        "Exercise 5.1: write find_method() in exercises/workspace/get_method.py"
        " -- see notebooks/05_resource_dispatch.ipynb, section 'Exercise 5.1'")
