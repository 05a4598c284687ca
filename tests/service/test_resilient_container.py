"""The container Linli's workers run in (linli.kit.containers): a result that cannot be handed back because
RabbitMQ went away (an @rpc reply during a broker restart) no longer kills the container, and with it every
service of the worker process; Nameko's own container does die of it."""
import eventlet
import kombu.exceptions
import pytest
from nameko.containers import ServiceContainer
from nameko.rpc import Rpc, rpc
from nameko.testing.services import entrypoint_hook
from nameko.testing.utils import get_extension

from linli.kit.containers import ResilientContainer


class Echo:
    name = "echo"

    @rpc
    def ping(self):
        return "pong"


def reply_lost(worker_ctx, result, exc_info):
    raise kombu.exceptions.OperationalError("Server unexpectedly closed connection")


@pytest.mark.parametrize("container_cls, survives", [(ResilientContainer, True), (ServiceContainer, False)])
def test_a_reply_lost_to_a_broker_outage_kills_only_nameko_s_own_container(rabbit_config, container_cls, survives):
    container = container_cls(Echo)
    container.start()
    try:
        entrypoint = get_extension(container, Rpc, method_name="ping")
        container.spawn_worker(entrypoint, (), {}, handle_result=reply_lost)
        eventlet.sleep(0.5)
        assert container._died.ready() is not survives
        if survives:
            with entrypoint_hook(container, "ping") as ping:
                assert ping() == "pong"
    finally:
        container.kill()
