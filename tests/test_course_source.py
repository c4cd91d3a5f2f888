"""show_source: highlighted minova source headed by where it lives and the Juno line it mirrors."""

from __future__ import annotations

from minova import paths, wsgi
from minova.course.source import Mirror, find_mirrors, find_origin, parse_mirrors, show_source


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


def test_show_source_of_a_decorated_method_shows_the_method_in_juno():
    # _dispatch is a staticmethod wrapping a webob wsgify object wrapping the function.
    view = show_source(wsgi.Router._dispatch)
    assert view.qualname == "minova.wsgi.Router._dispatch"
    assert "def _dispatch" in view.source
    (method,) = find_mirrors(wsgi.Router._dispatch)
    assert str(method) == "nova.wsgi.Router._dispatch (nova/wsgi.py:474, 2014.2)"


def test_show_source_of_a_method_gives_the_method_line_not_the_class_line():
    from minova.openstack.common.service import ProcessLauncher
    (mirror,) = find_mirrors(ProcessLauncher._start_child)
    assert (mirror.path, mirror.line) == ("nova/openstack/common/service.py", 302)


def test_a_method_juno_lacks_says_not_in_juno_and_names_its_class():
    from minova.api.openstack.wsgi import Resource
    mirrors, note = find_origin(Resource._lookup_method)
    assert mirrors == []
    assert note.startswith("not in Juno: a minova helper (its class mirrors "
                           "nova.api.openstack.wsgi.Resource")
    assert "Juno:   not in Juno" in str(show_source(Resource._lookup_method))


def test_a_module_function_juno_lacks_says_not_in_juno():
    from minova.api.openstack.compute import servers
    assert find_origin(servers._parse_isotime) == (
        [], "not in Juno: a minova helper (its module mirrors "
            "nova/api/openstack/compute/servers.py)")


def test_helpers_juno_keeps_in_another_file_point_there():
    from minova import utils
    from minova.api.openstack import common
    assert [(m.path, m.line) for m in find_mirrors(utils.import_class)] == [
        ("nova/openstack/common/importutils.py", 24)]
    assert [(m.path, m.line) for m in find_mirrors(common.isotime)] == [
        ("nova/openstack/common/timeutils.py", 34)]


def test_a_trailer_with_parentheses_is_shown_whole():
    from minova import service
    assert "Juno:   nova.service.Service (nova/service.py:122, 2014.2; start() at 159-217)" \
        in show_source(service.Service).header_lines()


def _package_objects():
    """Every class, method and function minova defines (the course helpers aside)."""
    import importlib
    import inspect
    import pkgutil

    import minova
    from minova.course.source import _unwrap
    for info in pkgutil.walk_packages(minova.__path__, "minova."):
        if info.name.startswith("minova.course"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in sorted(vars(module).items()):
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield "%s.%s" % (info.name, name), obj
            elif inspect.isclass(obj):
                yield "%s.%s" % (info.name, name), obj
                for attr, member in sorted(vars(obj).items()):
                    function = _unwrap(member)
                    if inspect.isfunction(function) and function.__module__ == module.__name__:
                        yield "%s.%s.%s" % (info.name, name, attr), member


def test_the_viewer_gives_every_object_a_checked_juno_origin_or_says_not_in_juno():
    """Issue 12, item 3: an origin the index confirms, a library's, or "not in Juno"."""
    from minova.course.source import juno_index
    index = juno_index()
    wrong = []
    count = 0
    for name, obj in _package_objects():
        count += 1
        mirrors, note = find_origin(obj)
        if not mirrors:
            if not note.startswith("not in Juno"):
                wrong.append("%s: no origin and no note" % name)
            continue
        for mirror in mirrors:
            if not mirror.path.startswith("nova/"):
                continue  # a library class (oslo.messaging, eventlet): not in the Juno index
            symbols = index.get(mirror.path)
            if symbols is None:
                wrong.append("%s: %s is not in tests/juno/index.json" % (name, mirror.path))
            elif "(its class)" in mirror.name:
                wrong.append("%s: shown with its class's line (%s)" % (name, mirror))
            elif not any(abs(line - mirror.line) <= 3 for line in symbols.values()):
                wrong.append("%s: nothing is defined at %s:%d" % (name, mirror.path, mirror.line))
    assert count > 500
    assert not wrong, "\n".join(wrong)


def test_show_source_of_a_function_reads_an_inline_juno_reference():
    from minova.api import auth
    (mirror,) = find_mirrors(auth.pipeline_factory)
    assert (mirror.path, mirror.line) == ("nova/api/auth.py", 62)


def test_show_source_of_a_function_finds_its_name_in_its_module_juno_file():
    (mirror,) = find_mirrors(paths.state_path_def)
    assert str(mirror) == "state_path_def (nova/paths.py:50, 2014.2)"


def test_show_source_without_mirrors_says_so():
    from minova.course import source
    view = show_source(source.show_source)  # a course helper: no nova twin
    assert view.mirrors == [] and "Juno:   not in Juno: a minova or course addition" in str(view)


def test_show_source_html_is_highlighted_and_escaped():
    html = show_source(wsgi.Middleware)._repr_html_()
    assert "minova.wsgi.Middleware" in html and "nova/wsgi.py:333" in html
    assert "<span" in html and "style=" in html  # inline colours, no stylesheet needed
