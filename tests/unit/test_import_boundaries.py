"""The platform's import boundaries, enforced: the services never import each other, the gateway imports
no service (it reaches them over gRPC only), and the kit imports neither the services, the gateway nor the
development tools that stand on it. Every import counts, at module level or inside a function."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
# The development tools that live beside the kit in linli/ and import services and the gateway.
DEV_TOOLS = ("linli_dev.cli", "linli_dev.demo", "linli_dev.devstack", "linli_dev.simulate", "linli_dev.testrun",
             "linli_dev.partner_sim", "linli_dev.faults")


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


def modules_under(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield module, imported_modules(path.read_text(encoding="utf-8"), module)


def within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(folder: Path, forbidden) -> list[str]:
    return [f"{module} imports {name}" for module, names in modules_under(folder)
            for name in sorted(names) if within(name, forbidden)]


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service):
    others = [f"services.{s}" for s in SERVICES if s != service]
    assert violations(ROOT / "services" / service, others) == []


def test_the_gateway_imports_no_service():
    assert violations(ROOT / "gateway", ["services"]) == []


def test_the_kit_imports_neither_services_nor_the_gateway_nor_the_dev_tools():
    assert violations(ROOT / "linli" / "kit", ["services", "gateway", *DEV_TOOLS]) == []


def test_the_check_sees_relative_and_function_level_imports():
    source = "from ..clinic import store\ndef f():\n    import gateway.app\n"
    names = imported_modules(source, "services.eldercare.worker")
    assert {"services.clinic", "services.clinic.store", "gateway.app"} <= names
