"""show_source: highlighted minova source headed by where it lives and the Juno line it mirrors."""

from __future__ import annotations

from minova import paths, wsgi
from minova.course.source import Mirror, find_mirrors, parse_mirrors, show_source


def test_parse_mirrors_reads_the_docstring_trailer():
    doc = """Does things.  (The first trailer line is long on purpose: real ones are.)

    Mirrors: nova.openstack.common.service.ProcessLauncher (nova/openstack/common/service.py:209, 2014.2)
    Mirrors: nova.wsgi.Server (nova/wsgi.py:79-261, 2014.2)
    Simplified: no eventlet.
    """
    assert parse_mirrors(doc) == [
        Mirror("nova.openstack.common.service.ProcessLauncher",
               "nova/openstack/common/service.py", 209, "2014.2"),
        Mirror("nova.wsgi.Server", "nova/wsgi.py", 79, "2014.2")]


def test_show_source_of_a_class_names_minova_and_juno_locations():
    view = show_source(wsgi.Router)
    assert view.qualname == "minova.wsgi.Router"
    assert view.location.startswith("minova/wsgi.py:")
    assert str(view.mirrors[0]) == "nova.wsgi.Router (nova/wsgi.py:432, 2014.2)"
    assert view.source.lstrip().startswith("class Router")
    assert "Juno:   nova.wsgi.Router (nova/wsgi.py:432, 2014.2)" in str(view)


def test_show_source_of_a_decorated_method_falls_back_to_its_class():
    # _dispatch is a staticmethod wrapping a webob wsgify object wrapping the function.
    view = show_source(wsgi.Router._dispatch)
    assert view.qualname == "minova.wsgi.Router._dispatch"
    assert "def _dispatch" in view.source
    (method,), (cls,) = find_mirrors(wsgi.Router._dispatch), find_mirrors(wsgi.Router)
    assert (method.path, method.line) == (cls.path, cls.line)
    assert method.name == "nova.wsgi.Router (its class)"


def test_show_source_of_a_function_reads_an_inline_juno_reference():
    from minova.api import auth
    (mirror,) = find_mirrors(auth.pipeline_factory)
    assert (mirror.path, mirror.line) == ("nova/api/auth.py", 62)


def test_show_source_of_a_function_falls_back_to_its_module_juno_file():
    (mirror,) = find_mirrors(paths.state_path_def)
    assert str(mirror) == "state_path_def (nova/paths.py, 2014.2)"


def test_show_source_without_mirrors_says_so():
    from minova.course import source
    view = show_source(source.show_source)  # a course helper: no nova twin
    assert view.mirrors == [] and "(not from Juno" in str(view)


def test_show_source_html_is_highlighted_and_escaped():
    html = show_source(wsgi.Middleware)._repr_html_()
    assert "minova.wsgi.Middleware" in html and "nova/wsgi.py:333" in html
    assert "<span" in html and "style=" in html  # inline colours, no stylesheet needed
