"""The private RabbitMQ node the stacks start (the devices' broker, the fault harness's broker) boots even
when a port picked free is taken before the node binds it: it tries once more on fresh ports."""
import socket
import tempfile
from pathlib import Path

import pika
import pytest

from linli_dev.faults.broker import PrivateRabbitMQ, available

pytestmark = pytest.mark.skipif(not available(), reason="needs rabbitmq-server installed")


def test_a_node_whose_port_was_taken_meanwhile_boots_on_fresh_ports():
    broker = PrivateRabbitMQ(Path(tempfile.mkdtemp(prefix="linli-private-broker-")))
    taken = broker.port
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", taken))
    squatter.listen()
    try:
        broker.start()
        assert broker.port != taken
        connection = pika.BlockingConnection(pika.URLParameters(broker.uri))
        assert connection.is_open
        connection.close()
        assert str(broker.port) in broker.node
    finally:
        squatter.close()
        broker.stop()


def test_a_node_that_cannot_boot_reports_its_own_log():
    broker = PrivateRabbitMQ(Path(tempfile.mkdtemp(prefix="linli-private-broker-")), conf="no_such_setting = 1\n")
    try:
        with pytest.raises(Exception) as failure:
            broker.start()
        report = str(failure.value)
        assert "exited with code" in report and "failed_to_prepare_configuration" in report
        assert "an earlier try" in report  # both boots were tried, and both reported
    finally:
        broker.kill()
