"""The extension mechanism: how Juno's compute API grew beyond its core (``contrib/``).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/extensions.py (``ExtensionDescriptor`` 38, ``ExtensionManager`` 175,
``ControllerExtension`` 282, ``ResourceExtension`` 295, ``load_standard_extensions`` 315)
Now: gone with the v2 API (nova removed it in Newton); v2.1's plugins folded into the core.

An *extension* is a module of ``nova/api/openstack/compute/contrib/`` with one
``ExtensionDescriptor`` subclass named after the module (``extended_status.py`` ->
``Extended_status``). Loading it registers it with the ``ExtensionManager``; it
then offers two kinds of things to ``APIRouter``:

- ``ResourceExtension``: a new collection with its own controller and routes
  (``/os-keypairs``), routed by ``APIRouter._setup_ext_routes``;
- ``ControllerExtension``: a controller whose ``@wsgi.extends`` methods run
  around an existing resource's methods (``servers`` ``show``/``detail``), wired
  by ``APIRouter._setup_extensions`` into ``Resource.wsgi_extensions``. This is
  why ``Resource.get_method`` returns ``(method, extensions)``.

``ext_mgr.is_loaded(alias)`` is how the servers controller asks whether a
request field (``key_name``, ``availability_zone``...) is served at all.
"""

from __future__ import annotations

import logging
import os

import webob.exc

from minova import exception, utils
from minova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class ExtensionDescriptor:
    """Base class for an extension: its names, and what it adds.

    Mirrors: nova.api.openstack.extensions.ExtensionDescriptor
    (nova/api/openstack/extensions.py:38, 2014.2)
    Simplified: no XML namespace templates.
    """

    name: str | None = None        # "ExtendedStatus"
    alias: str | None = None       # "OS-EXT-STS": the prefix of the keys it adds
    namespace: str | None = None
    updated: str | None = None

    def __init__(self, ext_mgr):
        ext_mgr.register(self)
        self.ext_mgr = ext_mgr

    def get_resources(self) -> list:
        """``ResourceExtension``\\ s: new collections (none by default)."""
        return []

    def get_controller_extensions(self) -> list:
        """``ControllerExtension``\\ s: methods that run around an existing resource's."""
        return []


class ExtensionsController(wsgi.Controller):
    """``GET /extensions``: what this API has loaded (clients probe it).

    Mirrors: nova.api.openstack.extensions.ExtensionsController
    (nova/api/openstack/extensions.py:135, 2014.2)
    Simplified: a Controller behind a Resource (Juno's was a Resource itself).
    """

    def __init__(self, extension_manager):
        self.extension_manager = extension_manager
        super().__init__()

    @staticmethod
    def _translate(ext) -> dict:
        return {"name": ext.name, "alias": ext.alias,
                "description": (ext.__doc__ or "").strip().splitlines()[0]
                if ext.__doc__ else "",
                "namespace": ext.namespace, "updated": ext.updated, "links": []}

    def index(self, req):
        return {"extensions": [self._translate(ext)
                               for ext in self.extension_manager.sorted_extensions()]}

    def show(self, req, id):
        try:
            ext = self.extension_manager.extensions[id]
        except KeyError:
            raise webob.exc.HTTPNotFound()
        return {"extension": self._translate(ext)}


class ExtensionManager:
    """Loads extensions and hands their resources and controller extensions to the router.

    Mirrors: nova.api.openstack.extensions.ExtensionManager
    (nova/api/openstack/extensions.py:175, 2014.2); the compute API's subclass,
    which reads ``osapi_compute_extension``, is in compute/extensions.py.
    """

    cls_list: list[str] = []

    def __init__(self):
        self.extensions: dict[str, ExtensionDescriptor] = {}
        self.sorted_ext_list: list | None = None
        self._load_extensions()

    def sorted_extensions(self) -> list:
        if self.sorted_ext_list is None:
            self.sorted_ext_list = [self.extensions[a] for a in sorted(self.extensions)]
        return self.sorted_ext_list

    def is_loaded(self, alias: str) -> bool:
        return alias in self.extensions

    def register(self, ext: ExtensionDescriptor) -> None:
        if not self._check_extension(ext):
            return
        if ext.alias in self.extensions:
            raise exception.NovaException("Found duplicate extension: %s" % ext.alias)
        self.extensions[ext.alias] = ext
        self.sorted_ext_list = None

    def get_resources(self) -> list:
        """Every extension's ``ResourceExtension``\\ s, plus ``/extensions`` itself."""
        resources = [ResourceExtension("extensions", ExtensionsController(self))]
        for ext in self.sorted_extensions():
            resources.extend(ext.get_resources())
        return resources

    def get_controller_extensions(self) -> list:
        controller_exts = []
        for ext in self.sorted_extensions():
            controller_exts.extend(ext.get_controller_extensions())
        return controller_exts

    @staticmethod
    def _check_extension(extension) -> bool:
        """An extension must name itself (name, alias, namespace, updated)."""
        try:
            LOG.debug("Ext name: %s, alias: %s", extension.name, extension.alias)
            return all((extension.name, extension.alias, extension.namespace,
                        extension.updated))
        except AttributeError:
            LOG.exception("Exception loading extension")
            return False

    def load_extension(self, ext_factory) -> None:
        """``ext_factory``: a dotted path to a callable taking this manager (a class or function)."""
        LOG.debug("Loading extension %s", ext_factory)
        factory = utils.import_class(ext_factory) if isinstance(ext_factory, str) \
            else ext_factory
        factory(self)

    def _load_extensions(self) -> None:
        for ext_factory in list(self.cls_list):
            try:
                self.load_extension(ext_factory)
            except Exception as exc:
                LOG.warning("Failed to load extension %s: %s", ext_factory, exc)


class ControllerExtension:
    """``controller``'s ``@wsgi.extends`` methods run around resource ``collection``'s.

    Mirrors: nova.api.openstack.extensions.ControllerExtension
    (nova/api/openstack/extensions.py:282, 2014.2)
    """

    def __init__(self, extension, collection: str, controller):
        self.extension = extension
        self.collection = collection
        self.controller = controller


class ResourceExtension:
    """A new collection: ``mapper.resource(collection, collection, controller=...)``.

    Mirrors: nova.api.openstack.extensions.ResourceExtension
    (nova/api/openstack/extensions.py:295, 2014.2)
    """

    def __init__(self, collection: str, controller=None, parent: dict | None = None,
                 collection_actions: dict | None = None, member_actions: dict | None = None,
                 custom_routes_fn=None, inherits: str | None = None,
                 member_name: str | None = None):
        self.collection = collection
        self.controller = controller
        self.parent = parent
        self.collection_actions = collection_actions or {}
        self.member_actions = member_actions or {}
        self.custom_routes_fn = custom_routes_fn
        self.inherits = inherits
        self.member_name = member_name


def load_standard_extensions(ext_mgr, logger, path: list[str], package: str,
                             ext_list: list[str] | None = None) -> None:
    """Load every ``<module>.<Module>`` descriptor found in the package folder ``path[0]``.

    Juno: nova/api/openstack/extensions.py:315 (it also walks sub-packages; minova's
    contrib/ has none).
    """
    our_dir = path[0]
    for fname in sorted(os.listdir(our_dir)):
        root, ext = os.path.splitext(fname)
        if ext != ".py" or root == "__init__":
            continue
        classname = "%s%s" % (root[0].upper(), root[1:])
        classpath = "%s.%s.%s" % (package, root, classname)
        if ext_list is not None and classname not in ext_list:
            logger.debug("Skipping extension: %s", classpath)
            continue
        try:
            ext_mgr.load_extension(classpath)
        except Exception as exc:
            logger.warning("Failed to load extension %s: %s", classpath, exc)
