"""The README's two commands on a machine missing RabbitMQ or npm (linli_dev/packages.py): as root they install
the Debian package; otherwise they name the one command to run. apt-get itself is outside the platform's
boundary, so the command runner and the lookup of installed commands are stand-ins here (never the real
apt-get: the shared machine's RabbitMQ must not be touched)."""
import subprocess

import pytest

from linli_dev import packages


class Machine:
    """A machine whose installed commands are `installed`; apt-get installs `provides` (after an update
    when `needs_update`)."""

    def __init__(self, installed=(), provides=None, needs_update=False):
        self.installed = set(installed)
        self.provides = provides or {}
        self.needs_update = needs_update
        self.ran = []

    def which(self, command):
        name = command.rsplit("/", 1)[-1]
        return f"/usr/sbin/{name}" if name in self.installed and command in (name, f"/usr/sbin/{name}") else None

    def run(self, argv, **_):
        self.ran.append(argv)
        if argv[:2] == ["apt-get", "update"]:
            self.needs_update = False
            return subprocess.CompletedProcess(argv, 0)
        if self.needs_update:
            return subprocess.CompletedProcess(argv, 100)
        self.installed |= set(self.provides.get(argv[-1], ()))
        return subprocess.CompletedProcess(argv, 0)


def test_an_installed_command_is_used_as_it_is():
    machine = Machine(installed={"rabbitmq-server"})
    found = packages.ensure("rabbitmq-server", run=machine.run, which=machine.which, is_root=lambda: True)
    assert found == "/usr/sbin/rabbitmq-server" and machine.ran == []


def test_without_root_the_error_names_the_one_command_to_run():
    machine = Machine()
    with pytest.raises(packages.PackageMissing, match=r"sudo apt-get install -y rabbitmq-server$"):
        packages.ensure("rabbitmq-server", run=machine.run, which=machine.which, is_root=lambda: False)
    assert machine.ran == []


def test_as_root_a_missing_package_is_installed_refreshing_the_lists_of_a_fresh_machine():
    machine = Machine(provides={"npm": {"npm"}}, needs_update=True)
    found = packages.ensure("npm", run=machine.run, which=machine.which, is_root=lambda: True, say=lambda *a, **k: None)
    assert found == "/usr/sbin/npm"
    assert machine.ran == [["apt-get", "install", "-y", "-q", "npm"], ["apt-get", "update", "-q"],
                           ["apt-get", "install", "-y", "-q", "npm"]]


def test_prometheus_and_promtool_come_from_debians_prometheus_package():
    machine = Machine(provides={"prometheus": {"prometheus", "promtool"}})
    packages.ensure("promtool", run=machine.run, which=machine.which, is_root=lambda: True, say=lambda *a, **k: None)
    assert machine.ran == [["apt-get", "install", "-y", "-q", "prometheus"]]
    assert packages.installed("prometheus", which=machine.which)


def test_an_install_that_provides_nothing_says_so():
    machine = Machine()
    with pytest.raises(packages.PackageMissing, match="did not provide rabbitmq-server"):
        packages.ensure("rabbitmq-server", run=machine.run, which=machine.which, is_root=lambda: True,
                        say=lambda *a, **k: None)


def test_the_command_line_prints_the_command_and_fails_without_root(monkeypatch, capsys):
    monkeypatch.setattr(packages, "_is_root", lambda: False)
    monkeypatch.setattr(packages.shutil, "which", lambda command: None)
    assert packages.main(["npm"]) == 1
    assert "sudo apt-get install -y npm" in capsys.readouterr().err
