"""Ports for the processes a stack starts: free on loopback, below the kernel's ephemeral range (where the
local end of some other process's outgoing connection could take one before ours binds it), and never the
same one twice in a process."""
import socket

from linli_dev import devstack
from linli_dev.devstack import _ephemeral_range, free_port


def test_free_ports_lie_below_the_ephemeral_range_and_are_never_handed_out_twice():
    low, _ = _ephemeral_range()
    ports = [free_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)
    assert all(1024 < port < low for port in ports)


def test_a_port_something_listens_on_is_passed_over(monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    taken = listener.getsockname()[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    picks = iter([taken, taken, free])  # what the random draw gives, in turn
    monkeypatch.setattr(devstack.random, "randint", lambda low, high: next(picks))
    monkeypatch.setattr(devstack, "_HANDED_OUT", set())
    try:
        assert devstack.free_port() == free
    finally:
        listener.close()
