"""The fault proxy itself, against a plain echo server on loopback: each fault does what it says."""
import socket
import threading
import time

import pytest

from linli_dev.faults.proxy import FaultProxy


@pytest.fixture
def echo_server():
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn):
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:
                pass  # the proxy reset it

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed at teardown
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()
    stop.set()
    server.close()


@pytest.fixture
def proxy(echo_server):
    proxy = FaultProxy(echo_server).start()
    yield proxy
    proxy.stop()


def roundtrip(sock, data=b"hello") -> bytes:
    sock.sendall(data)
    return sock.recv(65536)


def test_a_healthy_proxy_is_a_plain_pipe(proxy):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
        assert roundtrip(sock) == b"hello"


def test_latency_delays_each_way(proxy):
    proxy.latency(0.2)
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
        started = time.monotonic()
        assert roundtrip(sock) == b"hello"
        assert time.monotonic() - started >= 0.4


def test_a_blackhole_holds_everything_back_until_healed_then_delivers_it(proxy):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=0.5) as sock:
        assert roundtrip(sock) == b"hello"
        proxy.blackhole()
        time.sleep(0.05)
        with pytest.raises(TimeoutError):
            roundtrip(sock, b"held")
        proxy.heal()
        sock.settimeout(2)
        assert sock.recv(65536) == b"held"  # nothing was lost, only late, as over TCP
        assert roundtrip(sock, b"again") == b"again"


def test_reset_cuts_open_connections_and_refuses_new_ones_until_healed(proxy):
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
    assert roundtrip(sock) == b"hello"
    proxy.reset()
    time.sleep(0.1)
    with pytest.raises((ConnectionResetError, BrokenPipeError)):
        roundtrip(sock)
        roundtrip(sock)  # the first write may still be accepted locally
    sock.close()
    with pytest.raises((ConnectionResetError, BrokenPipeError)):
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as fresh:
            roundtrip(fresh)
            roundtrip(fresh)
    proxy.heal()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as healed:
        assert roundtrip(healed) == b"hello"


def test_a_server_that_is_down_looks_like_a_reset_connection(echo_server):
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        closed_port = spare.getsockname()[1]
    proxy = FaultProxy(("127.0.0.1", closed_port)).start()
    try:
        with pytest.raises((ConnectionResetError, BrokenPipeError)):  # at connect, or at the first exchange
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
                roundtrip(sock)
                roundtrip(sock)
    finally:
        proxy.stop()
