"""Pick the API version app for a URL: nova's ``URLMap`` on top of ``paste.urlmap``.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/urlmap.py
Now: nova/api/openstack/urlmap.py (same strategies, plus the ``/+`` wildcard)
"""

from __future__ import annotations

import logging
import re
import urllib.request

import paste.urlmap
import webob.exc

from minova.api.openstack import wsgi

LOG = logging.getLogger(__name__)

_quoted_string_re = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_option_header_piece_re = re.compile(
    r';\s*([^\s;=]+|%s)\s*(?:=\s*([^;]+|%s))?\s*' % (_quoted_string_re, _quoted_string_re))


def unquote_header_value(value: str) -> str:
    """Strip one pair of surrounding double quotes, as browsers quote (not RFC unquoting)."""
    if value and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def parse_list_header(value: str) -> list[str]:
    """Split a comma-separated header (RFC 2068 section 2), honouring quoted strings.

    ``'token, "quoted, value"'`` -> ``['token', 'quoted, value']``
    """
    result = []
    for item in urllib.request.parse_http_list(value):
        if item[:1] == item[-1:] == '"':
            item = unquote_header_value(item[1:-1])
        result.append(item)
    return result


def parse_options_header(value: str) -> tuple[str, dict[str, str | None]]:
    """``'application/json;version=1.1'`` -> ``('application/json', {'version': '1.1'})``."""
    if not value:
        return "", {}
    pieces = ((unquote_header_value(key), val if val is None else unquote_header_value(val))
              for key, val in (m.groups() for m in _option_header_piece_re.finditer(";" + value)))
    # NOVA-DIFF: Juno called ``parts.next()`` bare; a garbled header such as
    # ";;" then raised StopIteration (a 500).  An unparsable value is empty here.
    name = next(pieces, ("", None))[0]
    return name, dict(pieces)


class Accept:
    """An ``Accept`` header as ``(mask, params)`` pairs, with nova's ``best_match``.

    Mirrors: nova.api.openstack.urlmap.Accept (nova/api/openstack/urlmap.py:97, 2014.2)
    """

    def __init__(self, value: str):
        self._content_types = [parse_options_header(v) for v in parse_list_header(value)]

    def best_match(self, supported_content_types) -> tuple[str | None, dict]:
        """Highest ``q`` wins; on a tie the more specific mask (fewer ``*``) wins."""
        best_quality = -1.0
        best_content_type = None
        best_params: dict = {}
        best_mask = "*/*"
        for content_type in supported_content_types:
            for mask, params in self._content_types:
                try:
                    quality = float(params.get("q", 1))
                except (TypeError, ValueError):  # "q=abc" or a bare "q": skip, as Juno
                    continue
                if quality < best_quality:
                    continue
                if quality == best_quality and best_mask.count("*") <= mask.count("*"):
                    continue
                if self._match_mask(mask, content_type):
                    best_quality, best_content_type = quality, content_type
                    best_params, best_mask = params, mask
        return best_content_type, best_params

    def content_type_params(self, best_content_type: str) -> dict:
        """The parameters the client gave for ``best_content_type`` (``{}`` if none)."""
        for content_type, params in self._content_types:
            if best_content_type == content_type:
                return params
        return {}

    @staticmethod
    def _match_mask(mask: str, content_type: str) -> bool:
        if "*" not in mask:
            return content_type == mask
        if mask == "*/*":
            return True
        return content_type.split("/", 1)[0] == mask[:-2]


def urlmap_factory(loader, global_conf, **local_conf):
    """paste.deploy ``use = call:...:urlmap_factory``: one mount per ``path = app`` line.

    Juno: nova/api/openstack/urlmap.py:149-161 (a copy of paste.urlmap.urlmap_factory
    that builds nova's ``URLMap`` instead of paste's).
    """
    not_found_app = local_conf.pop("not_found_app", None) or global_conf.get("not_found_app")
    if not_found_app:
        not_found_app = loader.get_app(not_found_app, global_conf=global_conf)
    urlmap = URLMap(not_found_app=not_found_app)
    for path, app_name in local_conf.items():
        path = paste.urlmap.parse_path_expression(path)
        urlmap[path] = loader.get_app(app_name, global_conf=global_conf)
    return urlmap


class URLMap(paste.urlmap.URLMap):
    """Choose the version app by path prefix, ``Content-Type`` or ``Accept`` version.

    paste's ``URLMap`` only matches path prefixes (longest first); nova adds
    two more ways to name a version (``application/json;version=2``) and
    records the response MIME type in ``environ['nova.best_content_type']``
    for the layers below.

    Mirrors: nova.api.openstack.urlmap.URLMap (nova/api/openstack/urlmap.py:164, 2014.2)
    Simplified: JSON only (no ``.xml`` suffix, no ``application/atom+xml``).
    """

    def not_found_app(self, environ, start_response):
        """Answer for a path no mount claims (only reachable without a ``/`` mount)."""
        # NOVA-DIFF: paste (and so Juno) answered an HTML 404 page listing the
        # mounts; minova answers nova's JSON fault.
        fault = wsgi.Fault(webob.exc.HTTPNotFound(
            explanation="No API version is mounted at %s" % environ.get("PATH_INFO", "")))
        return fault(environ, start_response)

    def _match(self, host, port, path_info):
        """The longest mount for ``path_info``: ``(app, app_url)``, or ``(None, None)``."""
        for (domain, app_url), app in self.applications:
            if domain and domain != host and domain != host + ":" + port:
                continue
            # NOVA-DIFF: Juno had no wildcard; nova master (urlmap.py:161-189)
            # lets a mount ``/v2.1/+`` match only when something follows
            # ``/v2.1/``, so ``/v2.1`` and ``/v2.1/`` reach the unauthenticated
            # version document and everything below reaches the API pipeline.
            if app_url.endswith("/+"):
                if path_info.startswith(app_url[:-1]) and len(path_info) >= len(app_url):
                    return app, app_url[:-2]
                continue
            if path_info == app_url or path_info.startswith(app_url + "/"):
                return app, app_url
        return None, None

    def _set_script_name(self, app, app_url):
        """Wrap ``app`` so that only ``SCRIPT_NAME`` grows (the version came from a header)."""
        def wrap(environ, start_response):
            environ["SCRIPT_NAME"] += app_url
            return app(environ, start_response)
        return wrap

    def _munge_path(self, app, path_info, app_url):
        """Wrap ``app`` so that ``app_url`` moves from ``PATH_INFO`` to ``SCRIPT_NAME``."""
        def wrap(environ, start_response):
            environ["SCRIPT_NAME"] += app_url
            environ["PATH_INFO"] = path_info[len(app_url):]
            return app(environ, start_response)
        return wrap

    def _path_strategy(self, host, port, path_info):
        """MIME type from a ``.json`` suffix, version app from the path prefix."""
        mime_type = app = app_url = None
        parts = path_info.rsplit(".", 1)
        if len(parts) > 1:
            possible_type = "application/" + parts[1]
            if possible_type in wsgi.SUPPORTED_CONTENT_TYPES:
                mime_type = possible_type
        if len(path_info.split("/")) > 1:
            possible_app, possible_app_url = self._match(host, port, path_info)
            # The '' mount (``/``) matches everything: it is not a version.
            if possible_app and possible_app_url:
                app_url = possible_app_url
                app = self._munge_path(possible_app, path_info, app_url)
        return mime_type, app, app_url

    def _content_type_strategy(self, host, port, environ):
        """Version from ``Content-Type: application/json;version=2``."""
        app = None
        params = parse_options_header(environ.get("CONTENT_TYPE", ""))[1]
        # .get, not Juno's ``in``: a bare ";version" has the value None.
        if params.get("version"):
            app, app_url = self._match(host, port, "/v" + params["version"])
            if app:
                app = self._set_script_name(app, app_url)
        return app

    def _accept_strategy(self, host, port, environ, supported_content_types):
        """Best MIME type from ``Accept``, and the version from its ``version`` parameter."""
        accept = Accept(environ.get("HTTP_ACCEPT", ""))
        app = None
        mime_type, params = accept.best_match(supported_content_types)
        if params.get("version"):
            app, app_url = self._match(host, port, "/v" + params["version"])
            if app:
                app = self._set_script_name(app, app_url)
        return mime_type, app

    def _host_and_port(self, environ) -> tuple[str, str]:
        host = environ.get("HTTP_HOST", environ.get("SERVER_NAME")).lower()
        if ":" in host:
            host, port = host.split(":", 1)
        else:
            port = "80" if environ["wsgi.url_scheme"] == "http" else "443"
        return host, port

    def __call__(self, environ, start_response):
        """Path first, then Content-Type, then Accept; the plain prefix match last."""
        host, port = self._host_and_port(environ)
        path_info = self.normalize_url(environ["PATH_INFO"], False)[1]
        supported_content_types = list(wsgi.SUPPORTED_CONTENT_TYPES)

        mime_type, app, app_url = self._path_strategy(host, port, path_info)
        if not app:
            app = self._content_type_strategy(host, port, environ)
        if not mime_type or not app:
            possible_mime_type, possible_app = self._accept_strategy(
                host, port, environ, supported_content_types)
            mime_type = mime_type or possible_mime_type
            app = app or possible_app
        mime_type = mime_type or "application/json"
        if not app:
            # No version named anywhere: the '' mount (``/``) catches the rest.
            app, app_url = self._match(host, port, path_info)
            if app:
                app = self._munge_path(app, path_info, app_url)

        if app:
            environ["nova.best_content_type"] = mime_type
            return app(environ, start_response)
        environ["paste.urlmap_object"] = self
        return self.not_found_application(environ, start_response)
