"""The course as a learner sees it: every notebook run in JupyterLab, in a real browser.

Not a nova mirror: the course's browser test (``./course browser``, run by CI after
``./course test``). The notebook tests execute notebooks with nbclient, which never
renders a widget or an SVG; this does, the way a learner's browser does:

- JupyterLab starts from this environment on a free 127.0.0.1 port, without a token,
  on a temporary copy of the notebooks as committed (git's index), so it never
  writes outputs into ``notebooks/``; the kernel is "Python (minova)".
- Debian's ``chromium`` (``/usr/bin/chromium``), driven by Playwright; no browser
  download. Without either, it says why and exits 0 with "skipped" (a learner's
  machine); ``MINOVA_REQUIRE_BROWSER=1`` (CI) turns that into a failure.
- For every notebook: open it, run all cells, wait until the kernel is idle, then
  check what a learner would see (``problems_in``): no error and no stderr output,
  no "Error displaying widget", every widget view rendered, every SVG output shown
  as a loaded image that fits the cell at a 1400 px window, and the pictures a
  notebook must draw (``PICTURES``). Notebook 03's explorer must answer a GET and a
  POST, notebook 01's worker panel must show a new pid after a kill.
- A screenshot per notebook (and one per widget or picture) in ``ci-artifacts/screenshots/``.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "ci-artifacts" / "screenshots"
WINDOW = {"width": 1400, "height": 900}
KERNEL = "minova"
RUN_TIMEOUT = 120  # seconds for one notebook's "Run All"

# Pictures a notebook must draw (issue 14): notebook prefix -> graph names, the <title> graphviz
# writes into the SVG of ``digraph <name>``.
PICTURES: dict[str, list[str]] = {"01": ["process_tree"], "06": ["timeline"], "07": ["journey"]}

# JupyterLab settings for the test (a private settings folder): no autosave into the copies,
# every cell in the DOM (no windowing), no news pop-up over the notebook.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


class Skip(Exception):
    """The browser test cannot run here (no chromium, no playwright): why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def committed_notebooks(target: pathlib.Path) -> list[pathlib.Path]:
    """Copy the notebooks as committed (the working copy outside git) into ``target``."""
    from minova.course import notebook_runner

    copies = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        text = notebook_runner.committed_text(path)
        copy = target / path.name
        if text is None:
            shutil.copyfile(path, copy)
        else:
            copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return copies


def check_prerequisites() -> None:
    if not os.path.exists(CHROMIUM):
        raise Skip("no %s: install Debian's chromium (apt-get install chromium) to run "
                   "the browser test" % CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise Skip("no playwright in this environment: pip install playwright "
                   "(./course browser does; no browser download is needed)")


class Lab:
    """JupyterLab on a free port over ``root``, no token; ``stop()`` ends it and its kernels."""

    def __init__(self, root: pathlib.Path, log: pathlib.Path):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        settings = root / ".settings"
        for name, values in SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"),
                   MINOVA_EXERCISES_TARGET="stubs")  # as tests/test_notebooks.py runs them
        command = [str(pathlib.Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", "--ServerApp.port=%d" % self.port,
                   "--ServerApp.port_retries=0", "--IdentityProvider.token=",
                   "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
                   "--ServerApp.root_dir=%s" % root, "--LabApp.expose_app_in_browser=True",
                   "--MappingKernelManager.default_kernel_name=%s" % KERNEL]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=env, cwd=root)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/status", timeout=2):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("JupyterLab did not start; its log: %s" % log)
                time.sleep(0.3)

    def api(self, method: str, path: str):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", "/api/sessions/%s" % session["id"])

    def descendants(self) -> list[str]:
        import psutil

        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []
        out = []
        for child in children:
            try:
                out.append("pid %d: %s" % (child.pid, " ".join(child.cmdline())[:150]))
            except psutil.Error:
                pass
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


# What a learner sees, read in the page: the notebook's model (outputs as saved) and the DOM.
# ``window.jupyterapp`` exists because of --LabApp.expose_app_in_browser.
_READ_PAGE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const area = cell.node.querySelector('.jp-OutputArea');
    const outputs = cell.model.outputs.toJSON().map(o => ({
      type: o.output_type, name: o.name || null, ename: o.ename || null,
      evalue: o.evalue || null, text: [].concat(o.text || []).join('').slice(0, 400),
      mimes: Object.keys(o.data || {})}));
    const images = [...cell.node.querySelectorAll('.jp-RenderedSVG img, img[src^="data:image/svg"]')]
      .map(img => ({loaded: img.complete && img.naturalWidth > 0, natural: img.naturalWidth,
                    shown: img.getBoundingClientRect().width,
                    room: img.closest('.jp-OutputArea-output').clientWidth,
                    title: (decodeURIComponent(img.src).match(/<title>([^<]*)<\\/title>/) || [])[1] || null}));
    cells.push({index, count: cell.model.executionCount, outputs, images,
      text: area ? area.innerText.slice(0, 4000) : '',
      widgetViews: cell.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length});
  });
  return {kernel: panel.sessionContext.session && panel.sessionContext.session.kernel
                  ? panel.sessionContext.session.kernel.status : null, cells};
}"""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def problems_in(page_state: dict, pictures=()) -> list[str]:
    """What is wrong with a notebook's rendered state (``_READ_PAGE``'s answer)."""
    problems = []
    titles = set()
    for cell in page_state["cells"]:
        where = "cell %d" % cell["index"]
        if cell["count"] is None:
            problems.append("%s did not run" % where)
        for out in cell["outputs"]:
            if out["type"] == "error":
                problems.append("%s: %s: %s" % (where, out["ename"], out["evalue"]))
            elif out["type"] == "stream" and out["name"] == "stderr":
                problems.append("%s wrote to stderr: %s" % (where, out["text"].strip()[:200]))
        for phrase in ("Error displaying widget", "model not found"):
            if phrase in cell["text"]:
                problems.append("%s shows %r" % (where, phrase))
        views = sum(WIDGET_MIME in out["mimes"] for out in cell["outputs"])
        if cell["widgetViews"] < views:
            problems.append("%s: %d widget view(s) rendered of %d" % (
                where, cell["widgetViews"], views))
        svgs = sum("image/svg+xml" in out["mimes"] for out in cell["outputs"])
        if len(cell["images"]) < svgs:
            problems.append("%s: %d SVG image(s) shown of %d" % (where, len(cell["images"]), svgs))
        for image in cell["images"]:
            titles.add(image["title"])
            if not image["loaded"]:
                problems.append("%s: an SVG image did not load (%s)" % (where, image["title"]))
            elif image["natural"] > image["room"] + 1 or image["shown"] < image["natural"] - 1:
                problems.append("%s: the SVG %s is %d px wide, the cell has room for %d px" % (
                    where, image["title"], image["natural"], image["room"]))
    problems += ["no picture %r drawn" % name for name in pictures if name not in titles]
    return problems


# Open a notebook in the page's JupyterLab (one page load for all notebooks); close it after.
_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open',
                                           {path, factory: 'Notebook', kernel: {name: '%s'}});
  await panel.context.ready;
  app.shell.activateById(panel.id);
}""" % KERNEL

_CLOSE = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.shutdown();
  panel.dispose();   // no "save your changes?" dialog: the copy is thrown away
}"""

_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells');
}"""

# Done: the kernel is idle and every code cell ran, or a cell failed (Run All stops there).
_FINISHED = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  const failed = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return failed || code.every(c => c.model.executionCount !== null
                                   && !c.node.querySelector('.jp-InputPrompt').innerText.includes('*'));
}"""


def _outputs_with(page, text: str):
    return page.locator(".jp-OutputArea-output .jupyter-widgets").filter(has_text=text)


def try_explorer(page, shots: pathlib.Path) -> list[str]:
    """Notebook 03: the explorer answers a GET, then a POST (the output changes each time)."""
    form = page.locator(".jp-OutputArea-output .widget-vbox").filter(
        has=page.locator("button", has_text="send")).first
    send = form.locator("button", has_text="send")
    form.scroll_into_view_if_needed()
    out = form.locator(".widget-output")
    send.click()
    try:
        page.wait_for_function("(el) => el.innerText.includes('GET /v2.1/servers  ->  200')",
                               arg=out.element_handle(), timeout=10000)
    except Exception:
        return ["03 explorer: no answer to GET /v2.1/servers: %r" % out.inner_text()[:300]]
    answer_get = out.inner_text()
    form.locator("select").select_option("POST")
    areas = form.locator("textarea")
    areas.nth(0).fill("X-Auth-Token: alice:demo\nContent-Type: application/json")
    areas.nth(1).fill('{"server": {"name": "from-the-browser"}}')
    send.click()
    try:
        page.wait_for_function("(el) => el.innerText.includes('POST /v2.1/servers  ->  ')",
                               arg=out.element_handle(), timeout=10000)
    except Exception:
        return ["03 explorer: no answer to a POST: %r" % out.inner_text()[:300]]
    if out.inner_text() == answer_get:
        return ["03 explorer: the output did not change after the POST"]
    form.screenshot(path=str(shots / "03_explorer.png"))
    print("    explorer: GET -> 200, then %s" % out.inner_text().splitlines()[0].strip())
    return []


def try_worker_panel(page, shots: pathlib.Path) -> list[str]:
    """Notebook 01: start the panel's own API, kill a worker, the panel shows the new pid."""
    start = page.locator(".jp-OutputArea-output button", has_text="start a minova-api").first
    start.scroll_into_view_if_needed()
    start.click()
    kills = page.locator(".jp-OutputArea-output button", has_text="kill ")
    try:
        kills.first.wait_for(timeout=20000)
    except Exception:
        return ["01 worker panel: no kill button after 'start a minova-api'"]
    before = {int(text.split()[-1]) for text in kills.all_inner_texts()}
    victim = min(before)
    started = time.monotonic()
    kills.filter(has_text="kill %d" % victim).click()
    problems = []
    try:
        page.wait_for_function(
            """([victim, count]) => {
                 const pids = [...document.querySelectorAll('.jp-OutputArea-output button')]
                   .map(b => b.innerText.trim()).filter(t => t.startsWith('kill '))
                   .map(t => parseInt(t.split(' ')[1]));
                 return pids.length === count && !pids.includes(victim);
               }""", arg=[victim, len(before)], timeout=10000)
        after = {int(text.split()[-1]) for text in kills.all_inner_texts()}
        print("    worker panel: killed %d, the panel shows %s after %.2f s" % (
            victim, sorted(after - before), time.monotonic() - started))
        # its picture (an inline SVG) redrew too: the new worker, the dead one, the respawn
        tree = page.locator(".jp-OutputArea-output .widget-html svg").filter(
            has=page.locator("title", has_text="process_tree")).first
        if not tree.count():
            return problems + ["01 worker panel: no process tree drawn in the panel"]
        drawn = tree.inner_html()
        missing = [text for text in ["pid %d" % pid for pid in after] + [
            "pid %d" % victim, "respawned as"] if text not in drawn]
        if missing or tree.bounding_box()["width"] < 100:  # drawn: an empty svg fails too
            problems.append("01 worker panel: its process tree lacks %s" % missing)
        kills.first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]").screenshot(
            path=str(shots / "01_worker_panel.png"))
    except Exception:
        problems.append("01 worker panel: no new worker pid shown 10 s after killing %d" % victim)
    page.locator(".jp-OutputArea-output button", has_text="stop it").first.click()
    try:  # stopped: the panel shows no kill button, and says so
        page.wait_for_function(
            """() => ![...document.querySelectorAll('.jp-OutputArea-output button')]
                      .some(b => b.innerText.trim().startsWith('kill ')
                                 && b.offsetParent !== null)""", timeout=15000)
        page.locator(".jp-OutputArea-output .widget-html", has_text="gives another one").first.wait_for(timeout=5000)
    except Exception:
        problems.append("01 worker panel: 'stop it' did not stop the panel's API")
    return problems


INTERACTIONS = {"01": try_worker_panel, "03": try_explorer}


def check_notebook(page, lab: Lab, name: str, shots: pathlib.Path) -> list[str]:
    prefix = name[:2]
    page.evaluate(_OPEN, name)
    page.evaluate(_RUN_ALL)
    try:
        page.wait_for_function(_FINISHED, timeout=RUN_TIMEOUT * 1000, polling=250)
    except Exception:
        problems = ["did not finish within %d s" % RUN_TIMEOUT]
    else:
        problems = []
    page.wait_for_timeout(500)  # widget views and images attach just after the outputs
    problems += problems_in(page.evaluate(_READ_PAGE), PICTURES.get(prefix, ()))
    if not problems and prefix in INTERACTIONS:
        problems += INTERACTIONS[prefix](page, shots)
    stem = name.removesuffix(".ipynb")
    images = page.locator(".jp-RenderedSVG img")
    titles = images.evaluate_all("(imgs) => imgs.map(img => (decodeURIComponent(img.src)"
                                 ".match(/<title>([^<]*)<\\/title>/) || [])[1] || null)")
    for picture in PICTURES.get(prefix, ()):  # each new picture on its own, as a learner sees it
        if picture in titles:
            images.nth(titles.index(picture)).screenshot(
                path=str(shots / ("%s_%s.png" % (stem, picture))))
    # the page: at its first new picture, else its first widget or diagram
    pictures = [images.nth(titles.index(p)) for p in PICTURES.get(prefix, ()) if p in titles]
    first = (pictures or [page.locator(".jp-OutputArea-output .jupyter-widgets, "
                                       ".jp-RenderedSVG").first])[0]
    if first.count():  # its top at the top of the notebook (a tall diagram would be centred)
        first.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(shots / (stem + ".png")))
    if problems:  # the page as it was, to read what went wrong
        (shots / (stem + ".html")).write_text(page.content())
    return problems


def run(names=None, shots: pathlib.Path = SCREENSHOTS) -> int:
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="minova-browser-") as tmp:
        root = pathlib.Path(tmp)
        copies = [p.name for p in committed_notebooks(root)
                  if not names or any(p.name.startswith(n) for n in names)]
        lab = Lab(root, shots / "jupyterlab.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
                page = browser.new_page(viewport=WINDOW)
                page.goto(lab.url + "/lab?reset")
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started",
                                       timeout=60000)
                page.evaluate("() => window.jupyterapp.started")
                for name in copies:
                    started = time.monotonic()
                    problems = check_notebook(page, lab, name, shots)
                    page.evaluate(_CLOSE)
                    lab.shutdown_kernels()
                    print("%s %s (%.0f s)" % ("FAIL" if problems else "ok  ", name,
                                              time.monotonic() - started))
                    for problem in problems:
                        print("    " + problem)
                    failures += bool(problems)
                browser.close()
            deadline = time.monotonic() + 10
            while lab.descendants() and time.monotonic() < deadline:
                time.sleep(0.2)
            left = lab.descendants()
            if left:
                failures += 1
                print("FAIL processes left running after every kernel shut down: %s"
                      % "; ".join(left))
        finally:
            lab.stop()
    print("browser test: %d of %d notebooks failed; screenshots in %s" % (
        failures, len(copies), shots.relative_to(REPO) if shots.is_relative_to(REPO) else shots))
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./course browser", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="only these (prefixes: 01 03)")
    args = parser.parse_args(argv)
    try:
        check_prerequisites()
    except Skip as why:
        if os.environ.get("MINOVA_REQUIRE_BROWSER") == "1":
            print("browser test: cannot run: %s" % why)
            return 1
        print("browser test: skipped: %s" % why)
        return 0
    started = time.monotonic()
    status = run(args.notebooks)
    print("browser test: %.0f s" % (time.monotonic() - started))
    return status


if __name__ == "__main__":
    sys.exit(main())
