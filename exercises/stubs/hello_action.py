"""Exercise 5.2: a new server action, ``POST /servers/{id}/action {"os-hello": {}}``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno adds actions to ``/servers`` from contrib extensions (e.g. os-start/os-stop in
nova/api/openstack/compute/contrib/server_start_stop.py); the servers controller's own
actions are ``@wsgi.action`` methods such as ``_action_reboot``
(nova/api/openstack/compute/servers.py:1132-1163), collected by ``ControllerMetaclass``
(nova/api/openstack/wsgi.py:1104-1133).  Check it with ``./course check 5.2``.
"""

from __future__ import annotations

from minova.api.openstack import wsgi  # noqa: F401  (its decorators are what you need)
from minova.api.openstack.compute import servers


class HelloController(servers.Controller):
    """The servers controller plus one action: ``{"os-hello": {}}``.

    Everything ``servers.Controller`` does keeps working (list, show, create,
    reboot, ...).  The new action, on a server the caller can see, answers
    ``202 Accepted`` with the body ``{"hello": {"id": <server id>, "name": <its
    name>}}``; on an unknown server (or another project's) nova's
    ``404 itemNotFound`` "Instance could not be found".

    Write the method here: its name is yours, its decorators and arguments are
    the ones ``_action_reboot`` has.
    """


def create_resource(ext_mgr=None):
    """The ``wsgi.Resource`` the router mounts at ``/servers``, with a ``HelloController`` inside.

    The tests put this function in place of ``servers.create_resource``, so
    ``APIRouter._setup_routes`` builds your resource for ``/servers``.
    """
    raise NotImplementedError(
        "Exercise 5.2: write HelloController and create_resource() in "
        "exercises/workspace/hello_action.py -- see notebooks/05_resource_dispatch.ipynb, "
        "section 'Exercise 5.2'")
