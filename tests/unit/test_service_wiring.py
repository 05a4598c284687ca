"""Every service is wired the same way, by the kit: its indexes declared once in its store package and
ensured by the kit in the api and the workers; its api started by linli.kit.api; the outbox relay woken
by the commit, never by hand. Found by listing services/, so a new service is checked as it arrives."""
import ast
import importlib
from pathlib import Path

import pytest

from linli.kit import api
from linli.kit.mongo import Index
from linli.volunteer.v1 import volunteer_pb2, volunteer_pb2_grpc

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def calls(module: ast.Module, name: str) -> list[ast.Call]:
    """Calls of `name` or of `<anything>.name` in a module."""
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            if called == name:
                found.append(node)
    return found


def test_there_are_services_to_check():
    assert {"clinic", "eldercare", "employment", "notify", "volunteer"} <= set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_declares_every_index_once_in_its_store_package(service):
    indexes = importlib.import_module(f"services.{service}.store").INDEXES
    assert indexes and all(isinstance(index, Index) for index in indexes)
    for path in (ROOT / "services" / service / "store").glob("*.py"):
        module = tree(path)
        methods = [node.name for node in ast.walk(module) if isinstance(node, ast.FunctionDef)]
        assert "ensure_indexes" not in methods, f"{path.name}: indexes are ensured by the kit, not a store"


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_api_is_started_by_the_kit_with_its_store_indexes(service):
    main = tree(ROOT / "services" / service / "api" / "__main__.py")
    runs = calls(main, "run")
    assert len(runs) == 1, "the api starts through linli.kit.api.run"
    name, indexes = runs[0].args[:2]
    assert isinstance(name, ast.Constant) and name.value == service
    assert isinstance(indexes, ast.Name) and indexes.id == "INDEXES"
    assert f"services.{service}.store" in {node.module for node in ast.walk(main) if isinstance(node, ast.ImportFrom)
                                          and any(alias.name == "INDEXES" for alias in node.names)}
    defined = {node.name for node in ast.walk(main) if isinstance(node, ast.FunctionDef)}
    assert "binding" not in defined and not calls(main, "serve_until_signalled") and not calls(main, "OutboxRelay")


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_worker_opens_its_database_with_its_store_indexes(service):
    worker = tree(ROOT / "services" / service / "worker.py")
    databases = calls(worker, "Database")
    assert len(databases) == 1
    name, indexes = databases[0].args
    assert isinstance(name, ast.Constant) and name.value == service
    assert isinstance(indexes, ast.Name) and indexes.id == "INDEXES"


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_wakes_the_relay_or_ensures_indexes_by_hand(service):
    for path in (ROOT / "services" / service).rglob("*.py"):
        module = tree(path)
        assert not calls(module, "wake"), f"{path}: the kit wakes the relay when a transaction commits"
        assert not calls(module, "ensure_indexes"), f"{path}: the kit ensures the store package's INDEXES"


def test_a_binding_names_the_service_and_how_to_add_it_from_its_generated_pair():
    servicer = object()
    bound = api.binding(volunteer_pb2, volunteer_pb2_grpc, "HoursService", servicer)
    assert bound.full_name == "linli.volunteer.v1.HoursService"
    assert bound.add_to_server is volunteer_pb2_grpc.add_HoursServiceServicer_to_server
    assert bound.servicer is servicer


def test_a_binding_for_a_service_the_pair_lacks_is_refused():
    with pytest.raises(KeyError):
        api.binding(volunteer_pb2, volunteer_pb2_grpc, "NoSuchService", object())
