"""The servers controller: list, show, create, update, delete and the actions of ``/servers``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/servers.py (``Controller`` at 483-1516)
Now: nova/api/openstack/compute/servers.py (``ServersController`` at 95-1596)
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import logging

import webob
import webob.exc as exc
from oslo_config import cfg

from minova import compute, exception, utils
from minova.api.openstack import common, wsgi
from minova.api.openstack.compute.views import servers as views_servers
from minova.compute import flavors
from minova.compute.api import METADATA_ITEMS
from minova.db import api as db

LOG = logging.getLogger(__name__)

server_opts = [
    cfg.BoolOpt("enable_instance_password", default=True,
                help="Enables returning of the instance password by the relevant server "
                     "API calls such as create, rebuild or rescue"),
]

CONF = cfg.CONF
CONF.register_opts(server_opts)

# Query options a non-admin may filter by (Juno: _get_server_search_options).
# Juno's non-admin search options (servers.py:1513-1516); unknown options are dropped.
_USER_SEARCH_OPTIONS = ("reservation_id", "name", "status", "image", "flavor", "ip",
                        "changes-since", "all_tenants")
_ADMIN_SEARCH_OPTIONS = _USER_SEARCH_OPTIONS + ("host",)


def _parse_isotime(text: str) -> datetime.datetime:
    """ISO 8601 to naive UTC, as Juno's timeutils.parse_isotime + normalize_time; else ValueError."""
    if not isinstance(text, str) or not text[:4].isdigit() or text[4:5] != "-":
        raise ValueError(text)
    value = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


@contextlib.contextmanager
def _compute_errors(action: str, server_id: str):
    """Map the compute API's errors to HTTP: 404, 409, or 503 when the transport is down."""
    try:
        yield
    except exception.InstanceNotFound:
        raise exc.HTTPNotFound(explanation="Instance could not be found")
    except exception.InstanceInvalidState as state_error:
        common.raise_http_conflict_for_instance_invalid_state(state_error, action, server_id)
    except (exception.TransportUnavailable, exception.MessagingTimeout) as e:
        raise exc.HTTPServiceUnavailable(explanation=e.format_message())


class Controller(wsgi.Controller):
    """The server API base controller class for the OpenStack API.

    Mirrors: nova.api.openstack.compute.servers.Controller
    (nova/api/openstack/compute/servers.py:483, 2014.2)
    Simplified: no resize/changePassword actions, no
    block device mappings, user data or personality files (accepted, ignored).
    """

    _view_builder_class = views_servers.ViewBuilder

    @staticmethod
    def _add_location(robj):
        """Copy the server's ``self`` link into the ``Location`` header."""
        for link in robj.obj["server"]["links"]:
            if link["rel"] == "self":
                robj["Location"] = link["href"]
        return robj

    def __init__(self, ext_mgr=None, **kwargs):
        super().__init__(**kwargs)
        self.compute_api = compute.API()
        self.ext_mgr = ext_mgr

    # --- reads ---------------------------------------------------------------------

    def index(self, req):
        """Returns a list of server names and ids for a given user."""
        return self._get_servers(req, is_detail=False)

    def detail(self, req):
        """Returns a list of server details for a given user."""
        return self._get_servers(req, is_detail=True)

    def _get_servers(self, req, is_detail: bool) -> dict:
        context = req.environ["nova.context"]
        search_opts = self._get_search_opts(req, context)
        if search_opts is None:  # a status no state maps to: nothing can match
            return {"servers": []}
        limit, marker = common.get_limit_and_marker(req)
        try:
            instances = self.compute_api.get_all(context, search_opts=search_opts,
                                                 limit=limit, marker=marker, want_objects=True)
        except exception.MarkerNotFound:
            raise exc.HTTPBadRequest(explanation="marker [%s] not found" % marker)
        except exception.FlavorNotFound:
            instances = []  # Juno: an unknown flavor filter lists nothing
        if is_detail:
            req.cache_db_instances(instances)  # for the extensions' post-processing
            return self._view_builder.detail(req, instances)
        return self._view_builder.index(req, instances)

    @staticmethod
    def _get_search_opts(req, context) -> dict | None:
        """Query string → compute API filters; unknown options are dropped, as Juno does."""
        allowed = _ADMIN_SEARCH_OPTIONS if context.is_admin else _USER_SEARCH_OPTIONS
        search_opts = {k: req.GET[k] for k in allowed if k in req.GET}
        status = search_opts.pop("status", None)
        if status is not None:
            vm_state, task_state = common.task_and_vm_state_from_status([status])
            if not vm_state:
                return None
            search_opts["vm_state"] = vm_state
            if "default" not in task_state:
                search_opts["task_state"] = task_state
        if "changes-since" in search_opts:
            try:
                search_opts["changes-since"] = _parse_isotime(search_opts["changes-since"])
            except ValueError:
                raise exc.HTTPBadRequest(explanation="Invalid changes-since value")
            # Juno: changes-since also lists recently deleted servers
            search_opts.setdefault("deleted", True)
        all_tenants = search_opts.pop("all_tenants", None)
        # Only an admin may look across projects (for anyone else Juno's db
        # layer filters by project anyway).
        if not (context.is_admin and all_tenants not in (None, "0", "false", "False")):
            search_opts["project_id"] = context.project_id
        return search_opts

    def show(self, req, id):
        """Returns server details by server id."""
        context = req.environ["nova.context"]
        with _compute_errors("show", id):
            instance = self.compute_api.get(context, id, want_objects=True)
        req.cache_db_instance(instance)  # the extensions read it back, no second query
        return self._view_builder.show(req, instance)

    # --- create ----------------------------------------------------------------------

    @wsgi.response(202)
    def create(self, req, body):
        """Creates a new server for a given user: 202, ``Location``, ``adminPass``."""
        if not self.is_valid_body(body, "server"):
            # Juno: 422 computeFault (nova master's schema answers 400).
            raise exc.HTTPUnprocessableEntity()
        context = req.environ["nova.context"]
        server_dict = body["server"]
        password = self._get_server_admin_password(server_dict)
        name = self._get_server_name(server_dict)
        image_uuid = self._image_from_req_data(server_dict)
        flavor_id = self._flavor_id_from_req_data(server_dict)
        create_kwargs = self._get_create_kwargs(server_dict, context)
        try:
            inst_type = flavors.get_flavor_by_flavor_id(flavor_id, ctxt=context,
                                                        read_deleted="no")
            instances, _resv_id = self.compute_api.create(
                context, inst_type, image_uuid, display_name=name, display_description=name,
                admin_password=password, **create_kwargs)
        except exception.FlavorNotFound:
            raise exc.HTTPBadRequest(explanation="Invalid flavorRef provided.")
        except exception.ImageNotFound:
            raise exc.HTTPBadRequest(explanation="Can not find requested image")
        except exception.MetadataLimitExceeded as error:  # Juno: a QuotaError, 403
            raise exc.HTTPForbidden(explanation=error.format_message())
        except exception.InvalidMetadataSize as error:  # Juno: servers.py:964-965
            raise exc.HTTPRequestEntityTooLarge(explanation=error.format_message())
        except (exception.SecurityGroupNotFoundForProject, exception.NetworkNotFound,
                exception.InvalidInput, exception.InvalidMetadata) as error:
            raise exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.TransportUnavailable, exception.MessagingTimeout) as error:
            # The rows were set to ERROR by the compute API: nothing waits in BUILD.
            raise exc.HTTPServiceUnavailable(explanation=error.format_message())
        req.cache_db_instances(instances)
        server = self._view_builder.create(req, instances[0])
        if CONF.enable_instance_password:
            server["server"]["adminPass"] = password
        return self._add_location(wsgi.ResponseObject(server))

    @staticmethod
    def _get_server_admin_password(server: dict) -> str:
        if "adminPass" not in server:
            return utils.generate_password()
        if not isinstance(server["adminPass"], str):
            raise exc.HTTPBadRequest(explanation="Invalid adminPass")
        return server["adminPass"]

    @staticmethod
    def _get_server_name(server: dict) -> str:
        if "name" not in server:
            raise exc.HTTPBadRequest(explanation="Server name is not defined")
        name = server["name"]
        try:
            utils.check_string_length(name.strip() if isinstance(name, str) else name,
                                      "Server name", min_length=1, max_length=255)
        except exception.InvalidInput as e:
            raise exc.HTTPBadRequest(explanation=e.format_message())
        return name

    @staticmethod
    def _image_from_req_data(server: dict) -> str:
        """``imageRef`` is a uuid or an href whose last segment is one."""
        if "imageRef" not in server:
            raise exc.HTTPBadRequest(explanation="Missing imageRef attribute")
        image_href = server["imageRef"]
        image_uuid = str(image_href).split("/").pop() if image_href else ""
        if not utils.is_uuid_like(image_uuid):
            raise exc.HTTPBadRequest(explanation="Invalid imageRef provided.")
        return image_uuid

    @staticmethod
    def _flavor_id_from_req_data(server: dict) -> str:
        if "flavorRef" not in server:
            raise exc.HTTPBadRequest(explanation="Missing flavorRef attribute")
        return common.get_id_from_href(server["flavorRef"])

    def _get_create_kwargs(self, server: dict, context) -> dict:
        """The optional fields Juno's extensions read (multiple-create, networks, ...)."""
        try:
            min_count = utils.validate_integer(server.get("min_count", 1), "min_count",
                                               min_value=1)
            max_count = utils.validate_integer(server.get("max_count", min_count),
                                               "max_count", min_value=1)
        except exception.InvalidInput as e:
            raise exc.HTTPBadRequest(explanation=e.format_message())
        if min_count > max_count:
            raise exc.HTTPBadRequest(explanation="min_count must be <= max_count")
        key_name = server.get("key_name")
        if key_name is not None:
            # Juno: compute API's _validate_and_build_base_options looks the key
            # pair up (KeypairNotFound -> "Invalid key_name provided.", 400).
            try:
                db.key_pair_get(context, context.user_id, str(key_name))
            except exception.KeypairNotFound:
                raise exc.HTTPBadRequest(explanation="Invalid key_name provided.")
        metadata = server.get("metadata", {})
        if not isinstance(metadata, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise exc.HTTPBadRequest(explanation="Invalid metadata")
        availability_zone = server.get("availability_zone")
        if availability_zone is not None and (not isinstance(availability_zone, str)
                                              or len(availability_zone) > 255):
            # NOVA-DIFF: Juno passed any JSON value on (a list or object: a 500).
            raise exc.HTTPBadRequest(explanation="Invalid availability_zone")
        return dict(
            min_count=min_count, max_count=max_count, metadata=metadata, key_name=key_name,
            availability_zone=availability_zone,
            security_group=self._get_security_groups(server),
            requested_networks=self._get_requested_networks(server.get("networks")),
            access_ip_v4=self._get_access_ip(server, "accessIPv4", 4),
            access_ip_v6=self._get_access_ip(server, "accessIPv6", 6))

    @staticmethod
    def _get_security_groups(server: dict) -> list[str]:
        groups = server.get("security_groups", [{"name": "default"}])
        if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
            raise exc.HTTPBadRequest(explanation="Invalid security_groups")
        return sorted({g["name"] for g in groups if g.get("name")}) or ["default"]

    @staticmethod
    def _get_requested_networks(networks):
        """``"auto"``/``"none"`` (nova master, 2.37) or Juno's list of ``{"uuid", "fixed_ip"}``."""
        if networks is None or networks in ("auto", "none"):
            return None
        if not isinstance(networks, list) or not all(isinstance(n, dict) for n in networks):
            raise exc.HTTPBadRequest(explanation="Bad networks format")
        for network in networks:
            if "uuid" in network and not utils.is_uuid_like(network["uuid"]):
                raise exc.HTTPBadRequest(
                    explanation="Bad networks format: network uuid is not in proper "
                                "format (%s)" % network["uuid"])
        return networks

    @staticmethod
    def _get_access_ip(server: dict, key: str, version: int) -> str | None:
        value = server.get(key)
        if not value:
            return None
        try:
            # a string only: ipaddress also takes an int (10**30 is an IPv6 address)
            address = ipaddress.ip_address(value) if isinstance(value, str) else None
            if address is not None and address.version == version:
                # Stored shortened, as Juno's IPAddress column type and object field
                # did (nova/db/sqlalchemy/types.py:25-37): '0000:...:babe:220.12.22.2'
                # comes back as '::babe:dc0c:1602'.
                return str(address)
        except ValueError:
            pass
        raise exc.HTTPBadRequest(explanation="%s is not proper IPv%d format" % (key, version))

    # --- update, delete, actions ---------------------------------------------------------

    def update(self, req, id, body):
        """Update server then pass on to version-specific controller."""
        if not self.is_valid_body(body, "server"):
            raise exc.HTTPUnprocessableEntity()
        context = req.environ["nova.context"]
        update_dict = {}
        if "name" in body["server"]:
            update_dict["display_name"] = self._get_server_name(body["server"])
        for key, column, version in (("accessIPv4", "access_ip_v4", 4),
                                     ("accessIPv6", "access_ip_v6", 6)):
            if key in body["server"]:
                update_dict[column] = self._get_access_ip(body["server"], key, version)
        with _compute_errors("update", id):
            instance = self.compute_api.get(context, id, want_objects=True)
            instance = self.compute_api.update(context, instance, **update_dict)
        return self._view_builder.show(req, instance)

    @wsgi.response(204)
    def delete(self, req, id):
        """Destroys a server: 204 now, the compute host finishes the job."""
        context = req.environ["nova.context"]
        with _compute_errors("delete", id):
            instance = self.compute_api.get(context, id, want_objects=True)
            self.compute_api.delete(context, instance)

    @wsgi.response(202)
    @wsgi.action("reboot")
    def _action_reboot(self, req, id, body):
        reboot = body.get("reboot")
        if not isinstance(reboot, dict) or "type" not in reboot:
            raise exc.HTTPBadRequest(explanation="Missing argument 'type' for reboot")
        if not isinstance(reboot["type"], str):
            raise exc.HTTPBadRequest(explanation="Argument 'type' for reboot must be a string")
        reboot_type = reboot["type"].upper()
        if reboot_type not in ("HARD", "SOFT"):
            raise exc.HTTPBadRequest(explanation="Argument 'type' for reboot is not HARD or SOFT")
        self._instance_action(req, id, "reboot", reboot_type=reboot_type)

    @wsgi.response(202)
    @wsgi.action("rebuild")
    def _action_rebuild(self, req, id, body):
        """Rebuild an instance with the given attributes (Juno: servers.py:1325-1417)."""
        body = body["rebuild"]
        try:
            image_href = body["imageRef"]
        except (KeyError, TypeError):
            raise exc.HTTPBadRequest(explanation="Could not parse imageRef from request.")
        image_uuid = self._image_from_req_data({"imageRef": image_href})
        password = self._get_server_admin_password(body)
        context = req.environ["nova.context"]
        kwargs = {}
        if "name" in body:
            kwargs["display_name"] = self._get_server_name(body)
        for key, column, version in (("accessIPv4", "access_ip_v4", 4),
                                     ("accessIPv6", "access_ip_v6", 6)):
            if key in body:
                kwargs[column] = self._get_access_ip(body, key, version)
        if "metadata" in body:
            kwargs["metadata"] = body["metadata"]
        with _compute_errors("rebuild", id):
            instance = self.compute_api.get(context, id, want_objects=True)
            try:
                self.compute_api.rebuild(context, instance, image_uuid, password, **kwargs)
            except exception.InvalidMetadataSize as error:
                raise exc.HTTPRequestEntityTooLarge(explanation=error.format_message())
            except exception.MetadataLimitExceeded as error:
                raise exc.HTTPForbidden(explanation=error.format_message())
            except exception.ImageNotFound:
                raise exc.HTTPBadRequest(explanation="Cannot find image for rebuild")
            except exception.InvalidMetadata as error:
                raise exc.HTTPBadRequest(explanation=error.format_message())
            instance = self.compute_api.get(context, id, want_objects=True)
        req.cache_db_instance(instance)
        view = self._view_builder.show(req, instance)
        if CONF.enable_instance_password:
            view["server"]["adminPass"] = password
        return self._add_location(wsgi.ResponseObject(view))

    @wsgi.response(202)
    @wsgi.action("createImage")
    def _action_create_image(self, req, id, body):
        """Snapshot a server instance (Juno: servers.py:1430-1495): 202, the image in Location."""
        context = req.environ["nova.context"]
        entity = body.get("createImage") or {}
        if not isinstance(entity, dict):
            raise exc.HTTPBadRequest(explanation="Malformed request body")
        image_name = entity.get("name")
        if not image_name:
            raise exc.HTTPBadRequest(explanation="createImage entity requires name attribute")
        # NOVA-DIFF: Juno left checking name and metadata to glance (a 400 from there).
        if not isinstance(image_name, str) or len(image_name) > 255:
            raise exc.HTTPBadRequest(explanation="Invalid image name")
        metadata = entity.get("metadata", {})
        if not isinstance(metadata, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise exc.HTTPBadRequest(explanation="Invalid metadata")
        if len(metadata) > METADATA_ITEMS:  # Juno: common.check_img_metadata_properties_quota
            raise exc.HTTPForbidden(explanation="Image metadata limit exceeded")
        with _compute_errors("createImage", id):
            instance = self.compute_api.get(context, id, want_objects=True)
            image = self.compute_api.snapshot(context, instance, image_name,
                                              extra_properties=dict(metadata))
        # Juno builds the glance URL of the image; minova's images live behind its own API.
        resp = webob.Response(status_int=202)
        resp.headers["Location"] = "%s/%s/images/%s" % (req.application_url,
                                                        context.project_id, image["id"])
        return resp

    # NOVA-DIFF: Juno's os-start/os-stop live in the server_start_stop contrib
    # extension; here they sit on the servers controller, as in nova master.
    @wsgi.response(202)
    @wsgi.action("os-start")
    def _start_server(self, req, id, body):
        self._instance_action(req, id, "start")

    @wsgi.response(202)
    @wsgi.action("os-stop")
    def _stop_server(self, req, id, body):
        self._instance_action(req, id, "stop")

    def _instance_action(self, req, id, action: str, **kwargs) -> None:
        context = req.environ["nova.context"]
        with _compute_errors(action, id):
            instance = self.compute_api.get(context, id, want_objects=True)
            getattr(self.compute_api, action)(context, instance, **kwargs)


def create_resource(ext_mgr=None):
    return wsgi.Resource(Controller(ext_mgr))
