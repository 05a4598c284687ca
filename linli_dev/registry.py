"""The services Linli runs, named once. Everything else the development tools need about a service follows
from its name and its code: the api is `python -m services.<name>.api`, listening on the setting
<NAME>_API_ADDR, with metrics on <NAME>_API_METRICS_PORT; its handlers run in `services.<name>.worker`,
whose queues are read from the worker's own Nameko entrypoints. tests/unit/test_services_are_wired_everywhere.py checks
that every other place that names services (settings, compose, Kubernetes, the gateway, the test stacks,
the docs) names these. Adding a service: docs/adding-a-service.md."""
import importlib
import inspect
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Service:
    name: str

    @property
    def api_module(self) -> str:
        return f"services.{self.name}.api"

    @property
    def worker_module(self) -> str:
        return f"services.{self.name}.worker"

    @property
    def api_process(self) -> str:
        return f"{self.name}-api"

    @property
    def address_setting(self) -> str:
        return f"{self.name.upper()}_API_ADDR"

    @property
    def metrics_port_setting(self) -> str:
        return f"{self.name.upper()}_API_METRICS_PORT"

    def worker_queues(self) -> list[str]:
        return worker_queues(self.name)


# In the order `make run` starts their apis: eldercare first (the devices' door sends presses to it).
SERVICES = (Service("eldercare"), Service("volunteer"), Service("clinic"), Service("employment"), Service("notify"))
NAMES = tuple(service.name for service in SERVICES)


def service(name: str) -> Service:
    for candidate in SERVICES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no service {name!r} in linli_dev.registry.SERVICES")


def worker_class(name: str) -> type:
    """The Nameko service class of services.<name>.worker (the class whose `name` is the service's)."""
    module = importlib.import_module(service(name).worker_module)
    for value in vars(module).values():
        if inspect.isclass(value) and value.__module__ == module.__name__ and getattr(value, "name", None) == name:
            return value
    raise LookupError(f"{module.__name__} defines no Nameko service named {name!r}")


@cache
def worker_queues(name: str) -> list[str]:
    """Every queue the service's worker consumes, as its entrypoints declare them: an event handler's queue
    (and its urgent lane's, linli.kit.handlers), `rpc-<name>` for RPC methods. Timers have none."""
    from nameko.rpc import Rpc

    from linli.kit.handlers import EventHandler, queue_name, urgent_queue_name

    queues = []
    for method, function in inspect.getmembers(worker_class(name), inspect.isfunction):
        for entrypoint in getattr(function, "nameko_entrypoints", ()):
            if isinstance(entrypoint, EventHandler):
                source, event = entrypoint.source_service, entrypoint.event_type
                queues.append(queue_name(source, event, name, method, entrypoint.urgent_first))
                if entrypoint.urgent_first:
                    queues.append(urgent_queue_name(source, event, name, method))
            elif isinstance(entrypoint, Rpc):
                queues.append(f"rpc-{name}")
    return sorted(set(queues))
