"""The platform's import boundaries, enforced: the services never import each other, the gateway imports
no service (it reaches them over gRPC only), the kit (linli/) imports neither the services, the gateway nor
the development tools (linli_dev/) that stand on it, and nothing in services/ or gateway/ imports the
development tools. Every import counts, at module level or inside a function."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = "linli_dev"


def imported_modules(source: str, module: str) -> set[str]:
    """Every module a source file imports, relative imports resolved against its own module name."""
    names = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[:len(parent) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def modules_under(root: Path, folder: Path):
    for path in sorted(folder.rglob("*.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        yield module, imported_modules(path.read_text(encoding="utf-8"), module)


def within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def services_of(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "services").iterdir() if (p / "__init__.py").exists())


def boundaries(root: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each boundary: the folder whose imports it checks, and the modules that folder must not import."""
    services = services_of(root)
    rules = {f"services.{s}": (root / "services" / s, [f"services.{o}" for o in services if o != s] + [DEV_TOOLS])
             for s in services}
    rules["gateway"] = (root / "gateway", ["services", DEV_TOOLS])
    rules["linli"] = (root / "linli", ["services", "gateway", DEV_TOOLS])
    return rules


def violations(root: Path, boundary: str) -> list[str]:
    folder, forbidden = boundaries(root)[boundary]
    return [f"{module} imports {name}" for module, names in modules_under(root, folder)
            for name in sorted(names) if within(name, forbidden)]


@pytest.mark.parametrize("service", services_of(ROOT))
def test_a_service_imports_no_other_service_and_no_dev_tool(service):
    assert violations(ROOT, f"services.{service}") == []


def test_the_gateway_imports_no_service_and_no_dev_tool():
    assert violations(ROOT, "gateway") == []


def test_the_kit_imports_neither_services_nor_the_gateway_nor_the_dev_tools():
    assert violations(ROOT, "linli") == []


def test_the_dev_tools_live_outside_the_kit():
    assert (ROOT / DEV_TOOLS / "cli.py").exists() and not (ROOT / "linli" / "cli.py").exists()


def write(root: Path, files: dict[str, str]):
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


# A small tree laid out like the repository, every file importing only what its boundary allows.
CLEAN_TREE = {
    "services/__init__.py": "",
    "services/alpha/__init__.py": "",
    "services/alpha/worker.py": "from linli.kit import consumer\nfrom . import store\nfrom .store import save\n",
    "services/alpha/store.py": "import pymongo\n",
    "services/beta/__init__.py": "",
    "services/beta/api.py": "from linli.beta.v1 import beta_pb2\n",
    "gateway/__init__.py": "",
    "gateway/app.py": "from linli.kit import identity\nfrom linli.alpha.v1 import alpha_pb2_grpc\n",
    "linli/__init__.py": "",
    "linli/kit/__init__.py": "",
    "linli/kit/outbox.py": "from linli.kit import mongo\nfrom . import events\n",
    "linli_dev/__init__.py": "",
    "linli_dev/devstack.py": "import gateway.app\nfrom services.alpha import worker\nfrom services.beta import api\n",
}


def test_a_tree_that_keeps_its_boundaries_shows_no_violation(tmp_path):
    write(tmp_path, CLEAN_TREE)
    assert {b: violations(tmp_path, b) for b in boundaries(tmp_path)} == {
        "services.alpha": [], "services.beta": [], "gateway": [], "linli": []}


@pytest.mark.parametrize("path, source, boundary, found", [
    ("services/alpha/messages.py", "from services.beta.domain import Visit\n",
     "services.alpha", "services.alpha.messages imports services.beta.domain"),
    ("services/alpha/domain/rules.py", "from ...beta import store\n",
     "services.alpha", "services.alpha.domain.rules imports services.beta"),
    ("services/beta/api.py", "def start():\n    from linli_dev import devstack\n",
     "services.beta", "services.beta.api imports linli_dev"),
    ("gateway/routes.py", "import services.alpha.store\n",
     "gateway", "gateway.routes imports services.alpha.store"),
    ("gateway/app.py", "from linli_dev.demo import COMMUNITY\n",
     "gateway", "gateway.app imports linli_dev.demo"),
    ("linli/kit/outbox.py", "from gateway import app\n",
     "linli", "linli.kit.outbox imports gateway"),
    ("linli/kit/consumer.py", "def wire():\n    import services.alpha.worker\n",
     "linli", "linli.kit.consumer imports services.alpha.worker"),
    ("linli/deadletters.py", "from linli_dev.devstack import free_port\n",
     "linli", "linli.deadletters imports linli_dev.devstack"),
])
def test_one_import_across_a_boundary_fails_the_check(tmp_path, path, source, boundary, found):
    write(tmp_path, {**CLEAN_TREE, path: source})
    assert found in violations(tmp_path, boundary)
    assert [b for b in boundaries(tmp_path) if violations(tmp_path, b)] == [boundary]


def test_the_check_sees_relative_and_function_level_imports():
    source = "from ..clinic import store\ndef f():\n    import gateway.app\n"
    names = imported_modules(source, "services.eldercare.worker")
    assert {"services.clinic", "services.clinic.store", "gateway.app"} <= names
