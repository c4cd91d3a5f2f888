"""The Console Output extension: the ``os-getConsoleOutput`` server action.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/console_output.py (``ConsoleOutputController`` at 31,
``Console_output`` at 86)
Now: nova/api/openstack/compute/console_output.py
"""

from __future__ import annotations

import re

import webob.exc

from minova import compute, exception
from minova.api.openstack import extensions, wsgi


class ConsoleOutputController(wsgi.Controller):
    """Looks the server up first (a missing one is 404), then calls its compute host.

    Mirrors: nova.api.openstack.compute.contrib.console_output.ConsoleOutputController
    (nova/api/openstack/compute/contrib/console_output.py:31, 2014.2)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compute_api = compute.API()

    @wsgi.action("os-getConsoleOutput")
    def get_console_output(self, req, id, body):
        """Get text console output."""
        context = req.environ["nova.context"]
        try:
            instance = self.compute_api.get(context, id, want_objects=True)
        except exception.NotFound:
            raise webob.exc.HTTPNotFound(explanation="Instance not found")
        try:
            length = body["os-getConsoleOutput"].get("length")
        except (TypeError, KeyError, AttributeError):
            raise webob.exc.HTTPBadRequest(
                explanation="os-getConsoleOutput malformed or missing from request body")
        if length is not None:
            try:
                int(str(length))  # Juno: "2.5" is refused, not truncated
            except ValueError:
                raise webob.exc.HTTPBadRequest(
                    explanation="Length in request body must be an integer value")
        try:
            output = self.compute_api.get_console_output(context, instance, length)
        except exception.InstanceNotReady as e:
            raise webob.exc.HTTPConflict(explanation=e.format_message())
        except (exception.TransportUnavailable, exception.MessagingTimeout) as e:
            raise webob.exc.HTTPServiceUnavailable(explanation=e.format_message())
        return {"output": re.sub("[\x00-\x08\x0B-\x1F]", "", output)}


class Console_output(extensions.ExtensionDescriptor):
    """Console log output support, with tailing ability."""

    name = "ConsoleOutput"
    alias = "os-console-output"
    namespace = "http://docs.openstack.org/compute/ext/os-console-output/api/v2"
    updated = "2011-12-08T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ConsoleOutputController())]
