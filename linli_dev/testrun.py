"""Runs Linli's test tiers, each in its own pytest session (the Nameko tier needs eventlet's monkey
patch, the gRPC tiers must never have it), then prints one total line.

    linli test               every tier
    linli test unit e2e      the tiers named
"""
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from linli_dev import packages
from linli_dev.devstack import ROOT, StartError, ensure_coturn, ensure_rabbitmq
from linli.kit.config import setting

# tier -> the runner to use: plain pytest, or `nameko test` (pytest after eventlet.monkey_patch()).
TIERS = {
    "unit": "pytest",  # pure domain rules and gateway logic: no I/O
    "proto": "pytest",  # generated code is current, buf lint passes
    "contract": "pytest",  # the gRPC api with a stock grpcio client
    "service": "nameko",  # outbox relay, idempotent consumers, timers: real RabbitMQ and SecantusDB
    "e2e": "pytest",  # every process running: HTTP → gRPC → MongoDB → RabbitMQ → Nameko → SSE, traces
    "chaos": "pytest",  # quick faults under load: SIGTERM drains, SIGKILL and resets lose nothing (make chaos: all)
    "deploy": "pytest",  # image, compose and Kubernetes manifests, offline (tools in .venv-deploy)
    "browser": "pytest",  # the operator's board page in Debian's Chromium, driven by Playwright
    "ops": "pytest",  # a real Prometheus scraping the running platform: metrics, the SLO alert firing
}


CHROMIUM = "/usr/bin/chromium"


def ensure_chromium() -> str:
    """Debian's Chromium for the browser tier, installed with apt-get when missing (never Playwright's own
    download: nothing but package registries is reachable). Returns its path; StartError says what is missing."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    print(f"{CHROMIUM} is missing; installing Debian's chromium", flush=True)
    # With CJK fonts: the board is in Chinese, and its screenshot (docs/board.png) should be readable.
    install = ["apt-get", "install", "-y", "-q", "chromium", "fonts-noto-cjk"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if subprocess.run(install, **quiet).returncode != 0:  # a fresh machine may not have the package lists yet
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(install, **quiet)
    if not os.path.exists(CHROMIUM):
        raise StartError(f"the browser tier needs {CHROMIUM}: `apt-get install -y chromium` did not provide it "
                         "(run it by hand, as root, to see why)")
    return CHROMIUM


def ensure_cjk_font() -> None:
    """A CJK font for the volunteer certificates' PDFs (contract and e2e tiers), installed with apt-get
    when none is found; without one those tests cannot read Chinese back from the PDF."""
    from services.volunteer import certificate_pdf

    if certificate_pdf.available():
        return
    print("no CJK font for certificate PDFs; installing Debian's fonts-noto-cjk", flush=True)
    install = ["apt-get", "install", "-y", "-q", "fonts-noto-cjk"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if subprocess.run(install, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(install, **quiet)
    certificate_pdf.font.cache_clear()
    if not certificate_pdf.available():
        raise StartError(f"certificate PDFs need a CJK font: {certificate_pdf.INSTALL_HINT}")


def command(tier: str, report: Path) -> list[str]:
    bin_dir = Path(sys.executable).parent
    common = [f"tests/{tier}", f"--junitxml={report}", "-p", "no:cacheprovider"]
    if TIERS[tier] == "nameko":
        # Nameko's fixtures make a vhost per test on this broker (through its management API).
        return [str(bin_dir / "nameko"), "test", *common, "--amqp-uri", setting("AMQP_URI")]
    return [sys.executable, "-m", "pytest", "-p", "no:pytest_nameko", *common]


def counts(report: Path) -> dict[str, int]:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not report.exists():
        return totals
    root = ET.parse(report).getroot()
    for suite in root.iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    return totals


def main(tiers: list[str]) -> int:
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        print(f"unknown tier(s): {', '.join(unknown)}; tiers are {', '.join(TIERS)}", file=sys.stderr)
        return 2
    tiers = tiers or list(TIERS)
    try:
        ensure_rabbitmq(setting("AMQP_URI"), management=True)
        if {"contract", "e2e"} & set(tiers):
            ensure_cjk_font()
        if {"e2e", "chaos", "browser"} & set(tiers):
            ensure_coturn()  # the platform these tiers start relays calls through it (linli_dev/devstack.py)
        if "browser" in tiers:
            ensure_chromium()  # before the tier's session: an install may take longer than a test's timeout
        if {"deploy", "ops"} & set(tiers):
            packages.ensure("prometheus")  # Debian's package: the server (ops) and promtool (deploy)
    except (StartError, packages.PackageMissing) as error:
        print(error, file=sys.stderr)
        return 1
    reports = ROOT / "var" / "test-reports"
    reports.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    passed = failed = skipped = 0
    failed_tiers = []
    for tier in tiers:
        report = reports / f"{tier}.xml"
        report.unlink(missing_ok=True)
        print(f"\n=== tier {tier} ===", flush=True)
        started = time.monotonic()
        code = subprocess.run(command(tier, report), cwd=ROOT, env=env).returncode
        c = counts(report)
        tier_failed = c["failures"] + c["errors"]
        passed += c["tests"] - tier_failed - c["skipped"]
        failed += tier_failed
        skipped += c["skipped"]
        # pytest exit 5 means no test ran: a tier with no tests is a failure, not a pass.
        if code != 0 or c["tests"] == 0:
            failed_tiers.append(tier)
            if tier_failed == 0:
                failed += 1  # the tier broke before reporting (collection error, crash, no tests)
        print(f"=== tier {tier}: exit {code}, {c['tests']} tests in {time.monotonic() - started:.0f}s ===", flush=True)
    print()
    if failed_tiers:
        print(f"failed tiers: {', '.join(failed_tiers)}")
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed_tiers else 0
