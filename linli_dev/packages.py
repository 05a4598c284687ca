"""Debian packages the README's two commands need beyond Python and make, installed when missing.

    python -m linli_dev.packages npm          (the Makefile, before `npm ci`: buf, the proto tier's linter)

Run as root, a missing package is installed with apt-get (the package lists are refreshed first if the
install fails, as on a fresh machine); otherwise the error names the one command to run. Nothing but
Debian's own package registry is reached. linli_dev.devstack installs RabbitMQ this way, linli_dev.testrun
Prometheus (the deploy and ops tiers) and Chromium (the browser tier).
"""
import os
import shutil
import subprocess
import sys
from typing import Callable

# command -> (Debian package, what needs it)
PACKAGES = {
    "rabbitmq-server": ("rabbitmq-server", "Linli's events and internal RPC (make run, make test)"),
    "npm": ("npm", "buf, the proto tier's linter (make test)"),
    "promtool": ("prometheus", "the deploy tier's alert rule tests"),
    "prometheus": ("prometheus", "the ops tier"),
}


class PackageMissing(Exception):
    """A package is missing and could not be installed; the message says what to run."""


def _is_root() -> bool:
    return os.geteuid() == 0


def _find(command: str, which: Callable[[str], str | None]) -> str | None:
    # rabbitmq-server lives in /usr/sbin, which a non-root PATH often lacks.
    return which(command) or next((f"{d}/{command}" for d in ("/usr/sbin", "/usr/bin") if which(f"{d}/{command}")),
                                  None)


def installed(command: str, which=None) -> bool:
    return _find(command, which or shutil.which) is not None


def ensure(command: str, *, run=None, which=None, is_root=None, say=print) -> str:
    """The path of `command`, installing its Debian package first when it is missing and we are root.
    run, which and is_root default to subprocess.run, shutil.which and the effective uid."""
    run, which, is_root = run or subprocess.run, which or shutil.which, is_root or _is_root
    package, purpose = PACKAGES[command]
    found = _find(command, which)
    if found:
        return found
    install = ["apt-get", "install", "-y", "-q", package]
    if not is_root():
        raise PackageMissing(f"{command} is missing; {purpose} needs it. Install it with: "
                             f"sudo apt-get install -y {package}")
    say(f"{command} is missing; installing Debian's {package} ({purpose})", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if run(install, **quiet).returncode != 0:  # a fresh machine may not have the package lists yet
        run(["apt-get", "update", "-q"], **quiet)
        run(install, **quiet)
    found = _find(command, which)
    if not found:
        raise PackageMissing(f"`apt-get install -y {package}` did not provide {command}; "
                             f"run it by hand, as root, to see why")
    return found


def main(argv: list[str]) -> int:
    try:
        for command in argv:
            ensure(command)
    except PackageMissing as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
