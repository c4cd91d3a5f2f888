"""nova's exception hierarchy, cut down to what the API path raises.

Layers 3-6: FaultWrapper (layer 3) and Resource (layer 5) turn these into
JSON faults by their ``code``; ``safe`` says whether the message may reach the
client.

Juno: nova/exception.py
Now: nova/exception.py (same idea, many more classes)
"""

from __future__ import annotations

import logging

import webob.exc

LOG = logging.getLogger(__name__)


class NovaException(Exception):
    """Base class: ``msg_fmt`` % kwargs gives the message, ``code`` the HTTP status.

    Mirrors: nova.exception.NovaException (nova/exception.py:94, 2014.2)
    Simplified: no notification decorator, no translation.
    """

    msg_fmt = "An unknown exception occurred."
    code = 500
    headers: dict = {}
    safe = False

    def __init__(self, message: str | None = None, **kwargs):
        self.kwargs = kwargs
        if "code" not in self.kwargs:
            self.kwargs["code"] = self.code
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                # Juno logs the bad kwargs and falls back to the bare format.
                LOG.exception("Exception in string format operation: %s", kwargs)
                message = self.msg_fmt
        super().__init__(message)

    def format_message(self) -> str:
        return self.args[0]


class Invalid(NovaException):
    msg_fmt = "Unacceptable parameters."
    code = 400


class InvalidStrTime(Invalid):
    msg_fmt = "Invalid datetime string: %(reason)s"


class InvalidInput(Invalid):
    msg_fmt = "Invalid input received: %(reason)s"


class InvalidContentType(Invalid):
    msg_fmt = "Invalid content type %(content_type)s."


class MalformedRequestBody(NovaException):
    msg_fmt = "Malformed message body: %(reason)s"


class Forbidden(NovaException):
    msg_fmt = "Not authorized."
    code = 403


class NotFound(NovaException):
    msg_fmt = "Resource could not be found."
    code = 404


class ConfigNotFound(NovaException):
    msg_fmt = "Could not find config at %(path)s"


class PasteAppNotFound(NovaException):
    msg_fmt = "Could not load paste app '%(name)s' from %(path)s"


class PipelineDependencyMissing(NovaException):
    # Not in Juno (it failed with a bare ImportError): minova's keystone
    # pipeline needs a package that is not one of minova's dependencies.
    msg_fmt = ("auth_strategy=%(strategy)s needs the paste filter '%(filter)s', "
               "whose package is not installed: pip install %(package)s "
               "(or set auth_strategy=noauth)")


class InstanceNotReady(Invalid):
    msg_fmt = "Instance %(instance_id)s is not ready"
    code = 409


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class ImageNotAuthorized(NovaException):
    msg_fmt = "Not authorized for image %(image_id)s."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class MetadataLimitExceeded(NovaException):
    # Juno: a QuotaError (413 in EC2); the compute API answers 403.
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"
    code = 403


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class KeyPairExists(NovaException):
    msg_fmt = "Key pair '%(key_name)s' already exists."
    code = 409


class InvalidMetadata(Invalid):
    msg_fmt = "Invalid metadata: %(reason)s"


class InvalidMetadataSize(Invalid):
    msg_fmt = "Invalid metadata size: %(reason)s"


class InstanceInvalidState(Invalid):
    msg_fmt = ("Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot "
               "%(method)s while the instance is in this state.")
    code = 409


class NoValidHost(NovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class MessagingTimeout(NovaException):
    # oslo.messaging's MessagingTimeout; kept here so the API can map it.
    msg_fmt = "Timed out waiting for a reply: %(reason)s"
    code = 504


class TransportUnavailable(NovaException):
    # NOVA-DIFF: oslo.messaging raises its own errors when the broker is down;
    # minova names one so the API can answer 503 instead of a bare 500.
    msg_fmt = "The message transport is unavailable: %(reason)s"
    code = 503
    safe = True


# --- added for layers 4-5 (API side) ----------------------------------------

class ConvertedException(webob.exc.WSGIHTTPException):
    """A webob HTTP error with any code, for ``ResourceExceptionHandler``.

    Mirrors: nova.exception.ConvertedException (nova/exception.py:48, 2014.2)
    """

    def __init__(self, code: int = 0, title: str = "", explanation: str = ""):
        self.code = code
        self.title = title
        self.explanation = explanation
        super().__init__()


class MarkerNotFound(NotFound):
    msg_fmt = "Marker %(marker)s could not be found."


class SecurityGroupNotFoundForProject(NotFound):
    msg_fmt = "Security group %(security_group_id)s not found for project %(project_id)s."


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(network_id)s could not be found."


class VolumeNotFound(NotFound):
    msg_fmt = "Volume %(volume_id)s could not be found."


class InvalidAPIVersionString(Invalid):
    # Juno has no microversions; these two come from nova master (nova/exception.py).
    msg_fmt = ("API Version String %(version)s is of invalid format. Must "
               "be of format MajorNum.MinorNum.")


class InvalidGlobalAPIVersion(Invalid):
    msg_fmt = ("Version %(req_ver)s is not supported by the API. Minimum "
               "is %(min_ver)s and maximum is %(max_ver)s.")
    code = 406
