"""Small helpers the API and compute layers share: ids, passwords, imports, input checks.

Layers 5-6: notebooks/05_resource_dispatch.ipynb, notebooks/06_conductor_cast.ipynb
Juno: nova/utils.py (and nova/openstack/common/importutils.py, uuidutils.py)
Now: nova/utils.py (imports and uuids come from oslo.utils)
"""

from __future__ import annotations

import importlib
import random
import uuid

from oslo_config import cfg

from minova import exception

utils_opts = [
    cfg.IntOpt("password_length", default=12,
               help="Length of generated instance admin passwords"),
]

CONF = cfg.CONF
CONF.register_opts(utils_opts)

# Juno nova/utils.py DEFAULT_PASSWORD_SYMBOLS: no look-alikes such as 0/O or 1/l.
DEFAULT_PASSWORD_SYMBOLS = ("23456789",
                            "ABCDEFGHJKLMNPQRSTUVWXYZ",
                            "abcdefghijkmnopqrstuvwxyz")


def import_class(import_str: str) -> type:
    """``'minova.compute.api.API'`` → the class (Juno: nova/openstack/common/importutils.py:24)."""
    mod_str, _sep, class_str = import_str.rpartition(".")
    module = importlib.import_module(mod_str)
    try:
        return getattr(module, class_str)
    except AttributeError:
        raise ImportError("Class %s cannot be found in module %s" % (class_str, mod_str))


def import_object(import_str: str, *args, **kwargs):
    """Import a class by dotted name and return an instance (Juno: nova/openstack/common/importutils.py:36)."""
    return import_class(import_str)(*args, **kwargs)


def is_uuid_like(val) -> bool:
    """True for the canonical 36-character form (Juno: nova/openstack/common/uuidutils.py:27)."""
    try:
        return str(uuid.UUID(val)) == val.lower()
    except (TypeError, ValueError, AttributeError):
        return False


def generate_uid(topic: str, size: int = 8) -> str:
    """A reservation id such as ``r-3k9x0abc`` (Juno: utils.generate_uid)."""
    characters = "01234567890abcdefghijklmnopqrstuvwxyz"
    choices = [random.choice(characters) for _x in range(size)]
    return "%s-%s" % (topic, "".join(choices))


def generate_password(length: int | None = None,
                      symbolgroups: tuple[str, ...] = DEFAULT_PASSWORD_SYMBOLS) -> str:
    """A random password with at least one character from each symbol group."""
    if length is None:
        length = CONF.password_length
    r = random.SystemRandom()
    password = [r.choice(s) for s in symbolgroups]
    r.shuffle(password)
    password = password[:length]
    length -= len(password)
    symbols = "".join(symbolgroups)
    password.extend(r.choice(symbols) for _i in range(length))
    r.shuffle(password)
    return "".join(password)


def check_string_length(value, name: str, min_length: int = 0,
                        max_length: int | None = None) -> None:
    """Raise InvalidInput unless ``value`` is a string of an acceptable length."""
    if not isinstance(value, str):
        raise exception.InvalidInput(message="%s is not a string or unicode" % name)
    if len(value) < min_length:
        raise exception.InvalidInput(
            message="%s has a minimum character requirement of %s." % (name, min_length))
    if max_length and len(value) > max_length:
        raise exception.InvalidInput(
            message="%s has more than %s characters." % (name, max_length))


def validate_integer(value, name: str, min_value: int | None = None,
                     max_value: int | None = None) -> int:
    """Make sure ``value`` is an integer within bounds; return it as ``int``."""
    try:
        value = int(str(value))
    except (ValueError, UnicodeEncodeError):
        raise exception.InvalidInput(message="%s must be an integer." % name)
    if min_value is not None and value < min_value:
        raise exception.InvalidInput(message="%s must be >= %d" % (name, min_value))
    if max_value is not None and value > max_value:
        raise exception.InvalidInput(message="%s must be <= %d" % (name, max_value))
    return value
