"""The Nameko service container Linli's workers run in (linli.kit.workers sets SERVICE_CONTAINER_CLS).

Nameko kills a whole container when an entrypoint fails to hand a worker's result back, assuming the
failure cannot be recovered from: an @rpc method whose reply cannot be published because RabbitMQ just
went away takes its container down, and with it every service sharing the `nameko run` process. A broker
outage is recoverable (the consumers reconnect by themselves), so here a result that cannot be delivered
for want of a broker is logged and dropped instead: the RPC caller times out and retries as it would for
any lost reply; the request, never acked, goes back to its queue when the connection dies.

Any other error in handing a result back still kills the container, as Nameko intends.
"""
import logging

import amqp.exceptions
import kombu.exceptions
from nameko.containers import ServiceContainer

log = logging.getLogger(__name__)

BROKER_ERRORS = (kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError, ConnectionError, OSError)


class ResilientContainer(ServiceContainer):
    def spawn_worker(self, entrypoint, args, kwargs, context_data=None, handle_result=None):
        if handle_result is not None:
            handle_result = _surviving_broker_errors(entrypoint, handle_result)
        return super().spawn_worker(entrypoint, args, kwargs, context_data=context_data, handle_result=handle_result)


def _surviving_broker_errors(entrypoint, handle_result):
    def handle(worker_ctx, result, exc_info):
        try:
            return handle_result(worker_ctx, result, exc_info)
        except BROKER_ERRORS as error:
            log.warning("%s.%s: result not delivered, RabbitMQ is unreachable (%s); the caller will retry",
                        worker_ctx.service_name, entrypoint.method_name, error)
            return result, exc_info

    return handle
