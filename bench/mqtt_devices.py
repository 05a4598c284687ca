"""Call devices over MQTT against the same over HTTP, in one run (docs/performance.md, "Call devices"):

    .venv/bin/python -m bench.mqtt_devices [--seconds 30] [--devices 1000]

1. CPU per heartbeat across every process a heartbeat touches: over MQTT (terminals → the devices' broker
   → eldercare-devices → SecantusDB) at 10× the district's peak heartbeat rate, and over HTTP (the gateway
   → eldercare-api → SecantusDB) as fast as this machine carries (keep-alive connections back to back).
2. Heartbeats a second one batch writer sustains on SecantusDB: a backlog published straight onto the
   exchange the MQTT plugin publishes to, drained by eldercare-devices.

Both MQTT measures run with the writer reading every batch's devices (ELDERCARE_DEVICE_CACHE_SECONDS=0) and
keeping them (--cache-seconds), interleaved for --rounds rounds, eldercare-devices restarted between them.

Terminals are paho clients in this process (bench.mqtt_devices.Fleet), one connection per device, paced by
one thread; this process's own CPU is the load generator's and is shown apart.
"""
import argparse
import asyncio
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import grpc
import pika

from bench import loadgen
from bench import platform as bench_platform
from bench.common import fmt
from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc
from linli_dev.mqtt_device import Terminal
from services.eldercare.devices import HEARTBEAT_QUEUE
from services.eldercare.domain import mqtt

# The district's peak: 70,000 devices, one heartbeat each ten minutes (bench/district_day.py).
DISTRICT_HEARTBEATS_PER_SECOND = 35 * 2000 / 600


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids(plat: bench_platform.Platform) -> dict[str, int]:
    """Every process of the platform, and the devices' broker's Erlang VM (found by its node name)."""
    found = {proc.name: proc.popen.pid for proc in plat.stack.processes if proc.popen.poll() is None}
    broker = plat.stack.device_broker
    if broker is not None:  # the Erlang VM the rabbitmq-server script started (its child)
        beam = subprocess.run(["pgrep", "-P", str(broker.popen.pid), "beam.smp"], capture_output=True,
                              text=True).stdout.split()
        if beam:
            found["devices' broker (RabbitMQ node)"] = int(beam[0])
    return found


def cpu_now(plat) -> dict[str, float]:
    return {name: cpu_of(pid) for name, pid in pids(plat).items()}


def secrets_for(plat, devices: list[str]) -> dict[str, str]:
    """A fresh secret for each device, as an installer provisions it."""
    md = bench_platform.OPERATOR.to_metadata()
    with grpc.insecure_channel(plat.api_addr) as channel:
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        return {d: residents.RotateDeviceSecret(residents_pb2.RotateDeviceSecretRequest(device_id=d), metadata=md,
                                                timeout=10).secret for d in devices}


class Fleet:
    """Terminals connected to the devices' broker, heartbeating at a total rate from one pacing thread."""

    def __init__(self, mqtt_addr: str, secrets: dict[str, str]):
        self.terminals = [Terminal(mqtt_addr, d, s, persistent=False).connect(subscribe=False)
                          for d, s in secrets.items()]
        self.sent = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, rate: float) -> "Fleet":
        self._stop.clear()

        def pace():
            begin, n = time.perf_counter(), 0
            while not self._stop.is_set():
                due = begin + n / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                self.terminals[n % len(self.terminals)].heartbeat(30 + n % 70)
                n += 1
                self.sent = n

        self._thread = threading.Thread(target=pace, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> int:
        self._stop.set()
        if self._thread:
            self._thread.join()
        return self.sent

    def close(self) -> None:
        for terminal in self.terminals:
            terminal.close()


def heartbeat_queue(plat) -> tuple[int, int]:
    """(ready, unacknowledged) heartbeats on the devices' broker (passive declare: the broker's own count)."""
    connection = pika.BlockingConnection(pika.URLParameters(plat.env["ELDERCARE_DEVICE_AMQP_URI"]))
    try:
        ok = connection.channel().queue_declare(HEARTBEAT_QUEUE, passive=True).method
        return ok.message_count, 0
    finally:
        connection.close()


def wait_drained(plat, timeout: float = 120) -> float:
    """Seconds until the heartbeat queue is empty (the writer's last batch acked: the queue counts ready
    messages only, so give a batch's time after)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if heartbeat_queue(plat)[0] == 0:
            return time.monotonic() - started
        time.sleep(0.05)
    raise TimeoutError("the heartbeat queue did not drain")


def mqtt_cpu_per_heartbeat(plat, fleet: Fleet, rate: float, seconds: float) -> dict:
    before, mine = cpu_now(plat), time.process_time()
    started = time.monotonic()
    fleet.start(rate)
    time.sleep(seconds)
    sent = fleet.stop()
    lag = wait_drained(plat)
    elapsed = time.monotonic() - started
    time.sleep(1.5)  # the last batch (ELDERCARE_HEARTBEAT_BATCH_SECONDS) written
    after = cpu_now(plat)
    used = {name: after[name] - before[name] for name in after if name in before}
    return {"sent": sent, "rate": sent / seconds, "lag_s": lag, "elapsed": elapsed, "cpu": used,
            "generator": time.process_time() - mine}


def http_cpu_per_heartbeat(plat, devices: list[str], concurrency: int, seconds: float) -> dict:
    """Heartbeats through the gateway, `concurrency` keep-alive connections back to back (what one machine
    carries: the gateway is CPU-bound long before 10× the district's rate)."""
    tokens = {d: plat.token(d, "device") for d in devices}

    async def run() -> loadgen.Result:
        connections = [loadgen.Http(plat.gateway_url) for _ in range(concurrency)]
        sent = iter(range(10**9))

        async def beat(worker: int) -> None:
            n = next(sent)
            device = devices[n % len(devices)]
            status, body = await connections[worker].request(
                "POST", f"/v1/devices/{device}/heartbeat",
                {"Authorization": f"Bearer {tokens[device]}", "Content-Type": "application/json"},
                json.dumps({"battery_percent": 30 + n % 70}).encode())
            if status != 200:
                raise RuntimeError(f"{status} {body[:100]!r}")

        try:
            return await loadgen.closed_loop(beat, concurrency, seconds)
        finally:
            for connection in connections:
                connection.close()

    before, mine = cpu_now(plat), time.process_time()
    started = time.monotonic()
    result = asyncio.run(run())
    elapsed = time.monotonic() - started
    after = cpu_now(plat)
    used = {name: after[name] - before[name] for name in after if name in before}
    return {"sent": len(result.latencies_ms), "errors": result.errors, "rate": len(result.latencies_ms) / elapsed,
            "elapsed": elapsed, "cpu": used, "generator": time.process_time() - mine}


def writer_throughput(plat, devices: list[str], count: int) -> dict:
    """A backlog of `count` heartbeats of distinct devices, straight onto amq.topic, drained by one writer."""
    connection = pika.BlockingConnection(pika.URLParameters(plat.env["ELDERCARE_DEVICE_AMQP_URI"]))
    channel = connection.channel()
    before = cpu_now(plat)
    started = time.monotonic()
    for n in range(count):
        channel.basic_publish(mqtt.EXCHANGE, mqtt.routing_key(devices[n % len(devices)], mqtt.HEARTBEAT),
                              json.dumps({"v": 1, "battery_percent": 30 + n % 70}).encode())
    published = time.monotonic() - started
    connection.close()
    wait_drained(plat, timeout=600)
    time.sleep(1.2)  # the last batch's write
    elapsed = time.monotonic() - started - 1.2
    after = cpu_now(plat)
    return {"count": count, "published_s": published, "elapsed": elapsed, "rate": count / elapsed,
            "cpu": {name: after[name] - before[name] for name in after if name in before}}


def restart_devices(plat, cache_seconds: float) -> None:
    """eldercare-devices again, keeping what it read of devices for `cache_seconds` (0: reads each batch's)."""
    old = next(p for p in plat.stack.processes if p.name == "eldercare-devices")
    old.popen.terminate()
    old.popen.wait(30)
    plat.stack.processes.remove(old)
    plat.env["ELDERCARE_DEVICE_CACHE_SECONDS"] = str(cache_seconds)
    plat.stack.start_devices()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# The processes a heartbeat touches on each path (others are idle meanwhile, and shown anyway).
MQTT_PATH = ("devices' broker (RabbitMQ node)", "eldercare-devices", "secantusdb")
HTTP_PATH = ("gateway", "eldercare-api", "secantusdb")


def table(title: str, run: dict, path: tuple[str, ...]) -> list[str]:
    beats = run["sent"]
    lines = [f"**{title}**: {beats:,} heartbeats at {fmt(run['rate'])}/s" +
             (f", {run.get('errors', 0)} failed" if "errors" in run else f", queue empty {run['lag_s']:.1f}s after the last"),
             "", "| process | CPU s | ms per heartbeat |", "|---|---|---|"]
    total = 0.0
    for name, seconds in sorted(run["cpu"].items(), key=lambda item: -item[1]):
        if name.startswith("bare-"):
            continue
        on_path = name in path
        total += seconds if on_path else 0
        lines.append(f"| {name}{'' if on_path else ' (not on the path)'} | {seconds:.2f} | "
                     f"{seconds * 1000 / max(1, beats):.3f} |")
    lines.append(f"| **the path** ({', '.join(path)}) | {total:.2f} | **{total * 1000 / max(1, beats):.3f}** |")
    lines.append(f"| this process (the load generator) | {run['generator']:.2f} | "
                 f"{run['generator'] * 1000 / max(1, beats):.3f} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--devices", type=int, default=1000, help="devices registered (distinct per batch)")
    parser.add_argument("--terminals", type=int, default=250, help="MQTT connections of the heartbeating fleet")
    parser.add_argument("--http-connections", type=int, default=8, help="keep-alive connections heartbeating over HTTP")
    parser.add_argument("--backlog", type=int, default=50_000)
    parser.add_argument("--cache-seconds", type=float, default=900, help="ELDERCARE_DEVICE_CACHE_SECONDS of the 'kept' runs")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of reading vs keeping devices")
    args = parser.parse_args(argv)
    plat = bench_platform.start(devices=args.devices)
    try:
        devices = plat.take_devices(args.devices)
        rate = DISTRICT_HEARTBEATS_PER_SECOND * 10
        print(f"connecting {args.terminals} terminals ...", flush=True)
        fleet = Fleet(plat.env["ELDERCARE_MQTT_ADDR"], secrets_for(plat, devices[:args.terminals]))
        runs: list[tuple[str, dict, dict, str]] = []
        try:
            for round_ in range(args.rounds):
                for label, cache in (("devices read each batch", 0), (f"devices kept {args.cache_seconds:g}s", args.cache_seconds)):
                    restart_devices(plat, cache)
                    bench_platform.settle(plat)
                    load = load_average()
                    print(f"round {round_ + 1}, {label}: MQTT {rate:.0f} heartbeats/s for {args.seconds:.0f}s, "
                          f"then a backlog of {args.backlog:,} (load {load}) ...", flush=True)
                    over_mqtt = mqtt_cpu_per_heartbeat(plat, fleet, rate, args.seconds)
                    writer = writer_throughput(plat, devices, args.backlog)
                    runs.append((f"round {round_ + 1}, {label}", over_mqtt, writer, f"{load} → {load_average()}"))
        finally:
            fleet.close()
        bench_platform.settle(plat)
        print(f"HTTP: {args.http_connections} connections back to back for {args.seconds:.0f}s ...", flush=True)
        http_load = load_average()
        over_http = http_cpu_per_heartbeat(plat, devices[args.terminals:], args.http_connections, args.seconds)
        lines = ["CPU per heartbeat, every process on the path (10× the district's peak over MQTT)", ""]
        for title, over_mqtt, writer, load in runs:
            lines += table(f"over MQTT, {title} (load average {load})", over_mqtt, MQTT_PATH) + [""]
            lines += [f"**one batch writer on SecantusDB, {title}**: {writer['count']:,} heartbeats of "
                      f"{len(devices):,} devices (published in {writer['published_s']:.1f}s) written in "
                      f"{writer['elapsed']:.1f}s: **{writer['rate']:,.0f} heartbeats/s**; CPU s: " +
                      ", ".join(f"{name} {seconds:.1f}" for name, seconds in
                                sorted(writer["cpu"].items(), key=lambda i: -i[1])
                                if seconds >= 0.05 and not name.startswith("bare-")), ""]
        lines += table(f"over HTTP (load average {http_load} → {load_average()})", over_http, HTTP_PATH)
        text = "\n".join(lines)
        print("\n" + text)
        out = bench_platform.ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"mqtt-devices-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(text + "\n")
    finally:
        plat.stop()


if __name__ == "__main__":
    main()
