"""Dependencies point one way (issue 9, docs/ARCHITECTURE.md): no module or template of a lower layer uses a higher one.

Walks every ``.py`` file of every app in ``LAYERS`` with ``ast`` (module-level and function-local imports,
relative imports, ``importlib.import_module("...")`` with a literal name, template names written in Python)
and every template (``{% load %}``, ``{% include %}``, ``{% extends %}``), puts each end of each edge in its
layer by path, and fails listing every edge that points up, or sideways between two apps of one layer.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Written out here, not read from the code: this table is the decision being tested.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("core", "audit")),
    ("profiles", ("creators", "brands")),
    ("statistics", ("stats",)),
    ("work", ("campaigns",)),
    ("money", ("payments",)),  # issue 10: payments uses campaigns through its hooks; campaigns never imports it
    ("results", ("results",)),  # issue 11: links, conversions, the report; lower apps reach it through registries
    ("project", ("marketplace",)),
]
# Apps of one layer do not use each other, except in the base, which is one shared floor.
SIBLINGS_MAY_IMPORT = {"base"}

# Templates outside a templates/<app>/ folder: the site frame (base.html, error pages, the admin's
# admin/base_site.html) belongs to the first
# app of the bottom layer (core), so every page may extend it; overrides of third-party apps' templates
# (allauth/, mfa/) belong to the project on top.

TEMPLATE_NAME = re.compile(r"^[a-z_]+/[\w./-]+\.(?:html|txt)$")
LOAD_TAG = re.compile(r"{%\s*load\s+(.+?)\s*%}")
INCLUDE_TAG = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


@dataclass(frozen=True, order=True)
class Edge:
    source: str  # path relative to the repository root, with the line
    source_app: str
    target: str  # a module, a tag library or a template
    target_app: str

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.source_app} ({layer_name(self.source_app)}) -> {self.target} "
            f"in {self.target_app} ({layer_name(self.target_app)})"
        )


def layer_of(app: str, layers=None) -> int:
    for rank, (_name, apps) in enumerate(layers or LAYERS):
        if app in apps:
            return rank
    raise KeyError(app)


def layer_name(app: str, layers=None) -> str:
    return (layers or LAYERS)[layer_of(app, layers)][0]


def all_apps(layers=None) -> list[str]:
    return [app for _name, apps in (layers or LAYERS) for app in apps]


def is_wrong_way(edge: Edge, layers=None) -> bool:
    if edge.source_app == edge.target_app:
        return False
    source, target = layer_of(edge.source_app, layers), layer_of(edge.target_app, layers)
    if target > source:
        return True
    return target == source and (layers or LAYERS)[source][0] not in SIBLINGS_MAY_IMPORT


# --- Python ------------------------------------------------------------------------------------------------------


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of everything ``path`` imports, wherever the import statement is."""
    module, is_package = _module_name(path, root)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve_relative(module, is_package, node.level, node.module) if node.level else node.module or ""
            found.append((node.lineno, target))
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                getattr(node.func, "attr", None) == "import_module"
                or getattr(node.func, "id", None) in ("import_module", "__import__")
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def template_names_in(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every string in ``path`` that looks like a template name ("campaigns/detail.html")."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TEMPLATE_NAME.match(node.value)
    ]


def python_files(root: Path, layers=None):
    for app in all_apps(layers):
        if (root / app).is_dir():
            for path in sorted((root / app).rglob("*.py")):
                yield app, path


# --- Templates -------------------------------------------------------------------------------------------------


def template_dirs(root: Path, layers=None) -> list[Path]:
    dirs = [root / "templates"]
    dirs += [root / app / "templates" for app in all_apps(layers) if (root / app / "templates").is_dir()]
    return [d for d in dirs if d.is_dir()]


def template_app(name: str, layers=None) -> str:
    """The app a template belongs to, from its name (its path under a templates folder)."""
    parts = name.split("/")
    apps = all_apps(layers)
    if parts[0] == "admin" and len(parts) > 2 and parts[1] in apps:
        return parts[1]  # templates/admin/<app>/...: the app's admin pages
    if parts[0] in apps:
        return parts[0]
    layers = layers or LAYERS
    if len(parts) == 1 or name == "admin/base_site.html":  # the site frame, and the admin's
        return layers[0][1][0]
    return layers[-1][1][0]


def tag_libraries(root: Path, layers=None) -> dict[str, str]:
    """Tag library name -> the app that defines it (third-party libraries are not ours to place)."""
    libraries = {}
    for app in all_apps(layers):
        for path in sorted((root / app / "templatetags").glob("*.py")) if (root / app).is_dir() else []:
            if path.stem != "__init__":
                libraries[path.stem] = app
    return libraries


def template_edges(root: Path, layers=None) -> list[Edge]:
    libraries = tag_libraries(root, layers)
    known = {}
    for directory in template_dirs(root, layers):
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            known[path.relative_to(directory).as_posix()] = path
    edges = []
    for name, path in known.items():
        app = template_app(name, layers)
        where = path.relative_to(root).as_posix()
        text = path.read_text(errors="replace")
        for match in LOAD_TAG.finditer(text):
            words = match.group(1).split()
            names = words[words.index("from") + 1 :] if "from" in words else words
            line = text.count("\n", 0, match.start()) + 1
            edges += [
                Edge(f"{where}:{line}", app, f"{{% load {lib} %}}", libraries[lib]) for lib in names if lib in libraries
            ]
        for match in INCLUDE_TAG.finditer(text):
            if match.group(1) in known:
                line = text.count("\n", 0, match.start()) + 1
                edges.append(Edge(f"{where}:{line}", app, match.group(1), template_app(match.group(1), layers)))
    return edges


def all_edges(root: Path = ROOT, layers=None) -> list[Edge]:
    apps = set(all_apps(layers))
    known_templates = {p.relative_to(d).as_posix() for d in template_dirs(root, layers) for p in d.rglob("*")}
    edges = []
    for app, path in python_files(root, layers):
        where = path.relative_to(root).as_posix()
        for line, target in imported_modules(path, root):
            top = target.split(".")[0]
            if top in apps:
                edges.append(Edge(f"{where}:{line}", app, target, top))
        for line, name in template_names_in(path):
            if name in known_templates:
                edges.append(Edge(f"{where}:{line}", app, name, template_app(name, layers)))
    return edges + template_edges(root, layers)


# --- The tests -------------------------------------------------------------------------------------------------


def test_no_module_or_template_uses_a_higher_layer():
    wrong = sorted({e for e in all_edges() if is_wrong_way(e)})
    assert not wrong, "Dependencies must point down (docs/ARCHITECTURE.md):\n" + "\n".join(map(str, wrong))


def test_core_imports_no_domain_app():
    base = set(dict(LAYERS)["base"])
    core_edges = [e for e in all_edges() if e.source_app == "core" and e.target_app not in base]
    assert core_edges == []


def test_every_app_of_ours_is_in_the_table():
    ours = {entry.split(".")[0] for entry in settings.INSTALLED_APPS if (ROOT / entry.split(".")[0]).is_dir()}
    on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert ours | on_disk <= set(all_apps())
    assert {"core", "creators", "brands", "stats", "campaigns", "marketplace"} <= ours


def test_the_walk_sees_the_edges_there_are():
    """The walk finds what it is meant to find: the real graph has these downward edges."""
    edges = all_edges()
    pairs = {(e.source_app, e.target_app) for e in edges if e.source_app != e.target_app}
    assert {
        ("creators", "core"),
        ("brands", "core"),
        ("stats", "creators"),
        ("campaigns", "creators"),
        ("campaigns", "brands"),
        ("campaigns", "stats"),
        ("marketplace", "core"),
    } <= pairs
    # The dashboards (project templates) load the campaigns' tags; domain templates print files with core's tag.
    assert any(e.source.startswith("templates/marketplace/") and e.target == "{% load campaign_tags %}" for e in edges)
    assert any(
        e.source.startswith("templates/creators/") and e.target == "{% load media_tags %}" and e.target_app == "core"
        for e in edges
    )


LAYERS_FOR_FAKE = [("base", ("low",)), ("mid", ("left", "right")), ("top", ("high",))]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_an_upward_edge_of_every_kind_is_reported(tmp_path):
    _write(
        tmp_path,
        {
            "low/__init__.py": "",
            "low/models.py": "import os\n",
            "low/hidden.py": "def f():\n    from high import views\n",  # function-local
            "low/dynamic.py": "import importlib\nimportlib.import_module('high.demo')\n",
            "low/renders.py": "NAME = 'high/page.html'\n",
            "left/__init__.py": "",
            "left/views.py": "from right.models import Thing\nfrom low.models import X\n",  # sideways, down
            "left/sub/__init__.py": "",
            "left/sub/deep.py": "from .. import views\nfrom ..views import Thing\nfrom . import more\n",  # relative
            "high/__init__.py": "",
            "high/templatetags/__init__.py": "",
            "high/templatetags/high_tags.py": "",
            "right/__init__.py": "",
            "templates/high/page.html": "{% load i18n %}",
            "templates/left/card.html": "{% load i18n high_tags %}{% include 'high/page.html' %}",
            "templates/low/frame.html": "{% load thing from high_tags %}",
            "templates/base.html": "{% extends 'left/card.html' %}",
        },
    )
    wrong = {
        (e.source.rsplit(":", 1)[0], e.target)
        for e in all_edges(tmp_path, LAYERS_FOR_FAKE)
        if is_wrong_way(e, LAYERS_FOR_FAKE)
    }
    assert wrong == {
        ("low/hidden.py", "high"),
        ("low/dynamic.py", "high.demo"),
        ("low/renders.py", "high/page.html"),
        ("left/views.py", "right.models"),
        ("templates/left/card.html", "{% load high_tags %}"),
        ("templates/left/card.html", "high/page.html"),
        ("templates/low/frame.html", "{% load high_tags %}"),
        ("templates/base.html", "left/card.html"),
    }


@pytest.mark.parametrize(
    ("source", "target", "wrong"),
    [
        ("creators", "core", False),
        ("core", "creators", True),
        ("core", "audit", False),
        ("creators", "brands", True),
        ("stats", "creators", False),
        ("creators", "stats", True),
        ("campaigns", "stats", False),
        ("stats", "campaigns", True),
        ("marketplace", "campaigns", False),
        ("campaigns", "marketplace", True),
        ("core", "marketplace", True),
    ],
)
def test_the_table_says_which_way_is_down(source, target, wrong):
    assert is_wrong_way(Edge("x.py:1", source, "m", target)) is wrong
