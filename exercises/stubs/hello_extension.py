"""Exercise 5.4: a controller extension that greets every server shown.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno grew its API this way: a module in contrib/ holds an ``ExtensionDescriptor``
(nova/api/openstack/extensions.py:38) whose ``get_controller_extensions`` hands the
router a ``ControllerExtension`` (extensions.py:282); its controller's ``@wsgi.extends``
methods (nova/api/openstack/wsgi.py:1075) run after the servers controller's own.
Check it with ``./course check 5.4``.
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi

ALIAS = "OS-EXT-HELLO"
TODO = ("Exercise 5.4: write HelloServerController, Hello and load_extensions() in "
        "exercises/workspace/hello_extension.py -- see notebooks/05_resource_dispatch.ipynb, "
        "section 'Exercise 5.4'")


class HelloServerController(wsgi.Controller):
    """Runs after servers ``show`` and ``detail``; adds one key to each server.

    The key is ``"OS-EXT-HELLO:greeting"`` and its value ``"hello, <server name>"``.
    ``GET /servers/{id}`` and ``GET /servers/detail`` carry it; the short list
    ``GET /servers`` does not (no method of yours extends ``index``).  Write the
    two methods here: their names and arguments are what extended_status's have.
    """


class Hello(extensions.ExtensionDescriptor):
    """Greets every server: ``name`` "Hello", ``alias`` ALIAS, any ``namespace`` and ``updated``.

    Set the four class attributes, and return from ``get_controller_extensions``
    one ``ControllerExtension`` that extends the ``servers`` collection with a
    ``HelloServerController``.
    """

    def get_controller_extensions(self):
        raise NotImplementedError(TODO)


def load_extensions(ext_mgr) -> None:
    """What ``osapi_compute_extension`` names: a callable that registers descriptors with ``ext_mgr``.

    Juno's default is ``contrib.standard_extensions(ext_mgr)``, which does this
    for every module of contrib/. Yours registers ``Hello`` (a descriptor
    registers itself when it is built with the manager).
    """
    raise NotImplementedError(TODO)
