"""The second ``wsgi.py``: turning a routed request into a controller call, and errors into faults.

Layer 5: notebooks/05_resource_dispatch.ipynb (``Resource``, ``Controller``);
``Fault`` is also used by ``FaultWrapper`` in layer 3.

Not to be confused with ``minova/wsgi.py`` (server, loader, base classes).

Juno: nova/api/openstack/wsgi.py (1278 lines; XML and extensions left out here)
Now: nova/api/openstack/wsgi.py (JSON only since Newton)
"""

from __future__ import annotations

import inspect
import json
import logging

import webob.dec
import webob.exc

from minova import exception
from minova import wsgi as base_wsgi
from minova.api.openstack import api_version_request

LOG = logging.getLogger(__name__)

SUPPORTED_CONTENT_TYPES = (
    "application/json",
    "application/vnd.openstack.compute+json",
)
# NOVA-DIFF: Juno also lists the two XML types; minova speaks JSON only, as
# nova has since Newton.

_MEDIA_TYPE_MAP = {
    "application/vnd.openstack.compute+json": "json",
    "application/json": "json",
}

# NOVA-DIFF: Juno's jsonutils.dumps used json's defaults.  Compact separators
# (clients parse JSON, they do not read its layout) and no cycle check (a body
# is a tree built for this one request) take ~20% less time on a 10-server
# detail page (~12 KB).
_JSON_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)

# Routes' default actions: a controller may leave them out and offer @action methods.
_ROUTES_METHODS = ["create", "delete", "show", "update"]
_METHODS_WITH_BODY = ["POST", "PUT"]


class Request(base_wsgi.Request):
    """Add content negotiation (and, on /v2.1, the microversion) to the basic request.

    Mirrors: nova.api.openstack.wsgi.Request (nova/api/openstack/wsgi.py:75, 2014.2)
    Simplified: no language negotiation.
    """

    api_version_request = None

    # The per-request instance cache: the controller stores the rows it read,
    # the controller extensions read them back instead of asking the database
    # again (Juno: cache_db_instances / get_db_instance).
    def cache_db_instances(self, instances) -> None:
        cache = self.environ.setdefault("nova.db_instances", {})
        for instance in instances:
            cache[instance.uuid] = instance

    def cache_db_instance(self, instance) -> None:
        self.cache_db_instances([instance])

    def get_db_instances(self) -> dict:
        return self.environ.get("nova.db_instances", {})

    def get_db_instance(self, instance_uuid: str):
        return self.get_db_instances().get(instance_uuid)

    def best_match_content_type(self) -> str:
        """The response media type: URLMap's choice, else ``.json`` suffix, else ``Accept``."""
        if "nova.best_content_type" not in self.environ:
            content_type = None
            if self.path.endswith(".json"):
                content_type = "application/json"
            if not content_type:
                offers = self.accept.acceptable_offers(SUPPORTED_CONTENT_TYPES)
                content_type = offers[0][0] if offers else None
            self.environ["nova.best_content_type"] = content_type or "application/json"
        return self.environ["nova.best_content_type"]

    def get_content_type(self) -> str | None:
        """The request body's media type; None if absent, InvalidContentType if unsupported."""
        if "CONTENT_TYPE" not in self.environ:
            return None
        content_type = self.content_type
        # Juno: eventlet reports text/plain when the client sent no Content-Type.
        if not content_type or content_type == "text/plain":
            return None
        if content_type not in SUPPORTED_CONTENT_TYPES:
            raise exception.InvalidContentType(content_type=content_type)
        return content_type

    def is_microversioned(self) -> bool:
        """Only /v2.1 speaks microversions; /v2 stays as Juno's v2 (as nova master's legacy v2)."""
        return self.script_name.rstrip("/").endswith("/v2.1")

    def set_api_version_request(self) -> None:
        """Read the microversion headers (nova master: ``Request.set_api_version_request``)."""
        self.api_version_request = api_version_request.from_headers(self.headers)


class ActionDispatcher:
    """Call the method named by ``action``, falling back to ``default``.

    Mirrors: nova.api.openstack.wsgi.ActionDispatcher (nova/api/openstack/wsgi.py:201, 2014.2)
    """

    def dispatch(self, *args, **kwargs):
        action = kwargs.pop("action", "default")
        action_method = getattr(self, str(action), None)
        if not action_method:
            action_method = self.default
        return action_method(*args, **kwargs)

    def default(self, data):
        raise NotImplementedError()


def _loads(text):
    """``json.loads`` for a request body: what it cannot take is a 400, never a 500.

    NOVA-DIFF: Juno's jsonutils.loads raised RecursionError on a deeply nested
    document and let lone surrogates (``"\\ud800"``) through to the database; both
    end in a 500 there. Here a body is JSON only if it also encodes back to UTF-8.
    """
    try:
        decoded = json.loads(text)
        json.dumps(decoded, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise exception.MalformedRequestBody(reason="JSON nested too deeply")
    except UnicodeError:
        raise exception.MalformedRequestBody(reason="JSON string is not valid unicode")
    except ValueError:
        raise exception.MalformedRequestBody(reason="cannot understand JSON")
    return decoded


class JSONDeserializer(ActionDispatcher):
    """Request body text → ``{'body': <parsed JSON>}``, or MalformedRequestBody.

    Mirrors: nova.api.openstack.wsgi.JSONDeserializer (nova/api/openstack/wsgi.py:224, 2014.2)
    Simplified: TextDeserializer folded in.
    """

    def deserialize(self, datastring, action: str = "default"):
        return self.dispatch(datastring, action=action)

    def default(self, datastring):
        return {"body": _loads(datastring)}


class JSONDictSerializer(ActionDispatcher):
    """A response dict → JSON bytes.

    Mirrors: nova.api.openstack.wsgi.JSONDictSerializer (nova/api/openstack/wsgi.py:348, 2014.2)
    """

    def serialize(self, data, action: str = "default") -> bytes:
        return self.dispatch(data, action=action)

    def default(self, data) -> bytes:
        return _JSON_ENCODER.encode(data).encode("utf-8")


# --- Method decorators: they only label the function; Resource reads the labels.

def serializers(**serializers):
    """Attach per-media-type serializers to a controller method (``func.wsgi_serializers``)."""
    def decorator(func):
        if not hasattr(func, "wsgi_serializers"):
            func.wsgi_serializers = {}
        func.wsgi_serializers.update(serializers)
        return func
    return decorator


def deserializers(**deserializers):
    """Attach per-media-type deserializers to a controller method (``func.wsgi_deserializers``)."""
    def decorator(func):
        if not hasattr(func, "wsgi_deserializers"):
            func.wsgi_deserializers = {}
        func.wsgi_deserializers.update(deserializers)
        return func
    return decorator


def response(code: int):
    """The success status of a controller method, e.g. ``@wsgi.response(202)``."""
    def decorator(func):
        func.wsgi_code = code
        return func
    return decorator


def action(name: str):
    """Mark a method as the handler of ``POST .../action {name: ...}``."""
    def decorator(func):
        func.wsgi_action = name
        return func
    return decorator


def extends(*args, **kwargs):
    """Mark a controller extension's method: it runs around the resource method of that name.

    ``@wsgi.extends`` on ``show(self, req, resp_obj, id)`` runs after the
    servers controller's ``show``; ``@wsgi.extends(action='reboot')`` around that
    action. A generator method runs up to its ``yield`` before the controller
    method and gets the ``ResponseObject`` sent in after it.
    """
    def decorator(func):
        func.wsgi_extends = (func.__name__, kwargs.get("action"))
        return func
    if args:  # @wsgi.extends without parentheses
        return decorator(*args)
    return decorator


class ResponseObject:
    """A controller's result plus status code and headers, serialized by ``Resource``.

    Mirrors: nova.api.openstack.wsgi.ResponseObject (nova/api/openstack/wsgi.py:495, 2014.2)
    Simplified: no XML templates, so no ``preserialize``/``attach``.
    """

    def __init__(self, obj, code: int | None = None, headers: dict | None = None,
                 **serializers):
        self.obj = obj
        self.serializers = serializers
        self._default_code = 200
        self._code = code
        self._headers = {k.lower(): v for k, v in (headers or {}).items()}

    # Header names are case-insensitive, as HTTP says (RFC 7230 3.2).
    def __getitem__(self, key: str):
        return self._headers[key.lower()]

    def __setitem__(self, key: str, value) -> None:
        self._headers[key.lower()] = value

    def __delitem__(self, key: str) -> None:
        del self._headers[key.lower()]

    @property
    def code(self) -> int:
        return self._code or self._default_code

    @property
    def headers(self) -> dict:
        return dict(self._headers)

    def _bind_method_serializers(self, meth_serializers: dict) -> None:
        for mtype, serializer in meth_serializers.items():
            self.serializers.setdefault(mtype, serializer)

    def get_serializer(self, content_type: str, default_serializers: dict):
        mtype = _MEDIA_TYPE_MAP.get(content_type, content_type)
        if mtype in self.serializers:
            return self.serializers[mtype]
        return default_serializers[mtype]

    def serialize(self, request, content_type: str, default_serializers: dict):
        """Build the ``webob.Response``: status, headers, ``Content-Type``, JSON body."""
        response = webob.Response()
        response.status_int = self.code
        for hdr, value in self._headers.items():
            response.headers[hdr] = str(value)
        response.headers["Content-Type"] = content_type
        if self.obj is not None:
            serializer = self.get_serializer(content_type, default_serializers)
            response.body = serializer().serialize(self.obj)
        return response


def action_peek_json(body) -> str:
    """The one top-level key of an ``/action`` body, e.g. ``'reboot'``."""
    decoded = _loads(body)
    if not isinstance(decoded, dict) or len(decoded) != 1:
        raise exception.MalformedRequestBody(reason="too many body keys")
    return next(iter(decoded))


class ResourceExceptionHandler:
    """Context manager around a controller call: known errors become ``Fault``s.

    Anything not listed propagates to ``FaultWrapper`` (a 500 ``computeFault``).

    Mirrors: nova.api.openstack.wsgi.ResourceExceptionHandler (nova/api/openstack/wsgi.py:656, 2014.2)
    """

    def __enter__(self):
        return None

    def __exit__(self, ex_type, ex_value, ex_traceback):
        if not ex_value:
            return True
        if isinstance(ex_value, exception.Forbidden):
            raise Fault(webob.exc.HTTPForbidden(explanation=ex_value.format_message()))
        if isinstance(ex_value, exception.Invalid):
            raise Fault(exception.ConvertedException(
                code=ex_value.code, explanation=ex_value.format_message()))
        if isinstance(ex_value, TypeError):
            # Usually a controller called with the wrong arguments (a bad URL or body).
            LOG.error("Exception handling resource: %s", ex_value,
                      exc_info=(ex_type, ex_value, ex_traceback))
            raise Fault(webob.exc.HTTPBadRequest())
        if isinstance(ex_value, Fault):
            LOG.info("Fault thrown: %s", ex_value)
            raise ex_value
        if isinstance(ex_value, webob.exc.HTTPException):
            LOG.info("HTTP exception thrown: %s", ex_value)
            raise Fault(ex_value)
        return False

class Resource(base_wsgi.Application):
    """WSGI app that turns a routed request into a controller call and the result into JSON.

    Reached from ``Router._dispatch`` with the routes match in
    ``environ['wsgiorg.routing_args']``.  The call chain, each step a place for
    a breakpoint: ``__call__`` → ``_process_stack`` → ``get_method`` →
    ``_get_method`` → ``dispatch`` (the controller method).

    Mirrors: nova.api.openstack.wsgi.Resource (nova/api/openstack/wsgi.py:698, 2014.2)
    Simplified: JSON only.
    """

    def __init__(self, controller, action_peek: dict | None = None, inherits=None,
                 **deserializers):
        self.controller = controller
        self.default_deserializers = dict(json=JSONDeserializer)
        self.default_deserializers.update(deserializers)
        self.default_serializers = dict(json=JSONDictSerializer)
        self.action_peek = dict(json=action_peek_json)
        self.action_peek.update(action_peek or {})
        self.wsgi_actions: dict = {}
        if controller:
            self.register_actions(controller)
        # Filled by APIRouter._setup_extensions: {'show': [ext.show, ...]}
        self.wsgi_extensions: dict[str, list] = {}
        self.wsgi_action_extensions: dict[str, list] = {}
        self.inherits = inherits  # a parent Resource whose extensions apply here too

    def register_actions(self, controller) -> None:
        """Bind the controller's ``@action`` methods: ``{'reboot': <bound _action_reboot>}``."""
        for key, method_name in getattr(controller, "wsgi_actions", {}).items():
            self.wsgi_actions[key] = getattr(controller, method_name)

    def register_extensions(self, controller) -> None:
        """Bind a controller extension's ``@extends`` methods to the methods they extend."""
        for method_name, action_name in getattr(controller, "wsgi_extensions", []):
            extension = getattr(controller, method_name)
            if action_name:
                self.wsgi_action_extensions.setdefault(action_name, []).append(extension)
            else:
                self.wsgi_extensions.setdefault(method_name, []).append(extension)

    def get_action_args(self, request_environment) -> dict:
        """The routes match dict without ``controller`` and ``format``."""
        if hasattr(self.controller, "get_action_args"):
            return self.controller.get_action_args(request_environment)
        try:
            args = request_environment["wsgiorg.routing_args"][1].copy()
        except (KeyError, IndexError, AttributeError):
            return {}
        args.pop("controller", None)
        args.pop("format", None)
        return args

    def get_body(self, request) -> tuple[str | None, bytes]:
        """(content type, body); an unsupported type is NOT an error yet, it yields (None, b'')."""
        try:
            content_type = request.get_content_type()
        except exception.InvalidContentType:
            LOG.debug("Unrecognized Content-Type provided in request")
            return None, b""
        return content_type, request.body

    def deserialize(self, meth, content_type: str | None, body: bytes) -> dict:
        meth_deserializers = getattr(meth, "wsgi_deserializers", {})
        mtype = _MEDIA_TYPE_MAP.get(content_type)
        if mtype in meth_deserializers:
            deserializer = meth_deserializers[mtype]
        elif mtype in self.default_deserializers:
            deserializer = self.default_deserializers[mtype]
        else:
            raise exception.InvalidContentType(content_type=content_type)
        return deserializer().deserialize(body)

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, request):
        """Juno's steps 1-5: action args, action, body, accept; then ``_process_stack``."""
        version_fault = self._set_api_version(request)
        if version_fault is not None:
            return self._add_version_headers(request, version_fault(request))
        action_args = self.get_action_args(request.environ)
        action = action_args.pop("action", None)
        content_type, body = self.get_body(request)
        accept = request.best_match_content_type()
        response = self._process_stack(request, action, action_args, content_type, body,
                                       accept)
        if isinstance(response, Fault):
            response = response(request)  # render it now so headers can be added
        return self._add_version_headers(request, response)

    def _set_api_version(self, request):
        """NOVA-DIFF (nova master): parse microversion headers on /v2.1; a Fault if refused."""
        if not request.is_microversioned():
            return None
        try:
            request.set_api_version_request()
        except exception.InvalidGlobalAPIVersion as e:
            return Fault(webob.exc.HTTPNotAcceptable(explanation=e.format_message()))
        except exception.InvalidAPIVersionString as e:
            return Fault(webob.exc.HTTPBadRequest(explanation=e.format_message()))
        return None

    @staticmethod
    def _add_version_headers(request, response):
        if request.is_microversioned() and hasattr(response, "headers"):
            version = request.api_version_request or api_version_request.APIVersionRequest(
                api_version_request.DEFAULT_API_VERSION)
            for name, value in api_version_request.response_headers(version):
                response.headers[name] = value
        return response

    def _process_stack(self, request, action, action_args, content_type, body, accept):
        """Find the method and its extensions, read the body, check the project, call, serialize.

        Juno's ``_process_stack`` is one 102-line function; here each step is
        its own method returning either a value or a ``Fault``.
        """
        found = self._lookup_method(request, action, content_type, body)
        if isinstance(found, Fault):
            return found
        meth, extensions = found
        contents = self._deserialize_body(request, meth, content_type, body)
        if isinstance(contents, Fault):
            return contents
        action_args.update(contents)
        fault = self._check_project_id(request, action_args)
        if fault is not None:
            return fault
        # Generator extensions run up to their yield; a response there ends the request.
        response, post = self.pre_process_extensions(extensions, request, action_args)
        if response:
            return response
        LOG.debug("Calling method '%s'", meth)
        try:
            with ResourceExceptionHandler():
                action_result = self.dispatch(meth, request, action_args)
        except Fault as ex:
            return ex
        return self._serialize_result(request, meth, action_result, accept, post, action_args)

    def pre_process_extensions(self, extensions, request, action_args):
        """Start each extension: ``(response or None, the post-processing list, reversed)``."""
        post = []
        for ext in extensions:
            if inspect.isgeneratorfunction(ext):
                response = None
                try:
                    with ResourceExceptionHandler():
                        gen = ext(req=request, **action_args)
                        response = next(gen)
                except Fault as ex:
                    response = ex
                if response:  # the extension answered instead of the controller
                    return response, []
                post.append(gen)
            else:
                post.append(ext)
        return None, list(reversed(post))

    def post_process_extensions(self, extensions, resp_obj, request, action_args):
        """Let each extension change ``resp_obj``; the first one that answers wins."""
        for ext in extensions:
            response = None
            if inspect.isgenerator(ext):
                try:
                    with ResourceExceptionHandler():
                        response = ext.send(resp_obj)
                except StopIteration:
                    continue
                except Fault as ex:
                    response = ex
            else:
                try:
                    with ResourceExceptionHandler():
                        response = ext(req=request, resp_obj=resp_obj, **action_args)
                except Fault as ex:
                    response = ex
            if response:
                return response
        return None

    def _lookup_method(self, request, action, content_type, body):
        """Step 1: ``get_method`` -> ``(method, extensions)``; its errors become faults (404, 400)."""
        try:
            return self.get_method(request, action, content_type, body)
        except (AttributeError, TypeError):
            return Fault(webob.exc.HTTPNotFound())
        except KeyError as ex:
            msg = "There is no such action: %s" % ex.args[0]
            return Fault(webob.exc.HTTPBadRequest(explanation=msg))
        except exception.MalformedRequestBody:
            return Fault(webob.exc.HTTPBadRequest(explanation="Malformed request body"))
        except exception.InvalidContentType:
            # NOVA-DIFF: Juno peeks with _MEDIA_TYPE_MAP[None] and answers
            # "There is no such action: None"; minova names the real problem.
            return Fault(webob.exc.HTTPBadRequest(explanation="Unsupported Content-Type"))

    def _deserialize_body(self, request, meth, content_type, body):
        """Step 2: POST/PUT bodies only; ``Content-Length: 0`` means ``body=None``."""
        if request.method not in _METHODS_WITH_BODY:
            return {}
        if request.content_length == 0:
            return {"body": None}
        try:
            return self.deserialize(meth, content_type, body)
        except exception.InvalidContentType:
            # Juno's 400 (nova master answers 415 badMediaType).
            return Fault(webob.exc.HTTPBadRequest(explanation="Unsupported Content-Type"))
        except exception.MalformedRequestBody:
            return Fault(webob.exc.HTTPBadRequest(explanation="Malformed request body"))

    @staticmethod
    def _check_project_id(request, action_args):
        """Step 3: the project id in the URL (if any) must be the caller's."""
        project_id = action_args.pop("project_id", None)
        context = request.environ.get("nova.context")
        if context and project_id and project_id != context.project_id:
            msg = ("Malformed request URL: URL's project_id '%s' doesn't match "
                   "Context's project_id '%s'" % (project_id, context.project_id))
            return Fault(webob.exc.HTTPBadRequest(explanation=msg))
        return None

    def _serialize_result(self, request, meth, action_result, accept, post=(),
                          action_args=None):
        """Step 5: dict/None → ResponseObject → extensions → webob.Response; else passes through."""
        if type(action_result) is dict or action_result is None:
            resp_obj = ResponseObject(action_result)
        elif isinstance(action_result, ResponseObject):
            resp_obj = action_result
        else:
            return action_result  # e.g. webob.Response(status_int=202) from an action
        resp_obj._bind_method_serializers(getattr(meth, "wsgi_serializers", {}))
        if hasattr(meth, "wsgi_code"):
            resp_obj._default_code = meth.wsgi_code
        if post:
            response = self.post_process_extensions(post, resp_obj, request, action_args or {})
            if response:
                return response
        return resp_obj.serialize(request, accept, self.default_serializers)

    def get_method(self, request, action, content_type, body):
        """``(method, extensions)``: ``_get_method``'s, plus the parent resource's extensions.

        Why two functions: ``_get_method`` finds what THIS resource serves;
        ``get_method`` adds the extensions registered on the resource it
        ``inherits`` from (Juno: nova/api/openstack/wsgi.py:1013-1024).
        """
        meth, extensions = self._get_method(request, action, content_type, body)
        if self.inherits:
            _meth, parent_ext = self.inherits.get_method(request, action, content_type, body)
            extensions = extensions + parent_ext  # NOVA-DIFF: Juno extended the shared list
        return meth, extensions

    def _get_method(self, request, action, content_type, body):
        """``getattr(controller, action)``; for ``action`` peek the body's key instead.

        Returns ``(method, extensions)``: the controller extensions' methods
        registered for that method (or that action).
        """
        if self.controller is None:
            return getattr(self, action), []  # a Resource subclass serving itself (versions)
        try:
            return getattr(self.controller, action), self.wsgi_extensions.get(action, [])
        except AttributeError:
            if (not self.wsgi_actions or
                    action not in _ROUTES_METHODS + ["action"]):
                raise
        if action == "action":
            mtype = _MEDIA_TYPE_MAP.get(content_type)
            if mtype not in self.action_peek:
                raise exception.InvalidContentType(content_type=content_type)
            action_name = self.action_peek[mtype](body)
        else:
            action_name = action
        # KeyError → "There is no such action"
        return (self.wsgi_actions[action_name],
                self.wsgi_action_extensions.get(action_name, []))

    def dispatch(self, method, request, action_args):
        """Call the controller method: ``method(req=request, **action_args)``."""
        return method(req=request, **action_args)


class ControllerMetaclass(type):
    """At class creation, collect ``@action`` methods into ``wsgi_actions`` (bases included).

    Also collects ``@extends`` methods into ``wsgi_extensions``:
    ``[(method name, action name or None)]``.

    Mirrors: nova.api.openstack.wsgi.ControllerMetaclass (nova/api/openstack/wsgi.py:1104, 2014.2)
    """

    def __new__(mcs, name, bases, cls_dict):
        actions = {}
        extensions = []
        for base in bases:
            actions.update(getattr(base, "wsgi_actions", {}))
            extensions.extend(getattr(base, "wsgi_extensions", []))
        for key, value in cls_dict.items():
            if not callable(value):
                continue
            if getattr(value, "wsgi_action", None):
                actions[value.wsgi_action] = key
            elif getattr(value, "wsgi_extends", None):
                extensions.append(value.wsgi_extends)
        cls_dict["wsgi_actions"] = actions
        cls_dict["wsgi_extensions"] = extensions
        return super().__new__(mcs, name, bases, cls_dict)


class Controller(metaclass=ControllerMetaclass):
    """Base class for API controllers: holds the view builder, validates bodies.

    Mirrors: nova.api.openstack.wsgi.Controller (nova/api/openstack/wsgi.py:1136, 2014.2)
    """

    _view_builder_class = None

    def __init__(self, view_builder=None):
        if view_builder:
            self._view_builder = view_builder
        elif self._view_builder_class:
            self._view_builder = self._view_builder_class()
        else:
            self._view_builder = None

    @staticmethod
    def is_valid_body(body, entity_name: str) -> bool:
        """True if ``body[entity_name]`` exists and is a dict."""
        return bool(body) and isinstance(body, dict) and \
            isinstance(body.get(entity_name), dict)


class Fault(webob.exc.HTTPException):
    """Wrap a webob HTTP error so it renders as nova's JSON fault body.

    ``{"itemNotFound": {"code": 404, "message": "..."}}``: the key comes from
    ``_fault_names`` by status code, ``computeFault`` for anything else.

    Mirrors: nova.api.openstack.wsgi.Fault (nova/api/openstack/wsgi.py:1166, 2014.2)
    Simplified: JSON only.
    """

    _fault_names = {
        400: "badRequest",
        401: "unauthorized",
        403: "forbidden",
        404: "itemNotFound",
        405: "badMethod",
        409: "conflictingRequest",
        413: "overLimit",
        415: "badMediaType",
        429: "overLimit",
        501: "notImplemented",
        503: "serviceUnavailable",
    }

    def __init__(self, exception: webob.exc.HTTPException):
        self.wrapped_exc = exception
        for key, value in list(self.wrapped_exc.headers.items()):
            self.wrapped_exc.headers[key] = str(value)
        self.status_int = exception.status_int

    @webob.dec.wsgify
    def __call__(self, req):
        """Render the JSON body onto the wrapped webob exception and return it."""
        code = self.wrapped_exc.status_int
        fault_name = self._fault_names.get(code, "computeFault")
        explanation = self.wrapped_exc.explanation
        fault_data = {fault_name: {"code": code, "message": explanation}}
        if code in (413, 429):
            retry = self.wrapped_exc.headers.get("Retry-After")
            if retry:
                fault_data[fault_name]["retryAfter"] = retry
        self.wrapped_exc.content_type = "application/json"
        self.wrapped_exc.charset = "UTF-8"
        self.wrapped_exc.body = json.dumps(fault_data).encode("utf-8")
        return self.wrapped_exc

    def __str__(self) -> str:
        return self.wrapped_exc.__str__()
