"""How many can share a consultation room as a full mesh (every browser sends its audio and video to every
other): N Chromium participants (fake camera and microphone, relay-only ICE through the platform's coturn
on loopback) in one room, for N = 2, 3, 4; per N, the CPU of all the browsers and of coturn, the audio and
video packet loss, the frames decoded per second and what limited the encoders (getStats()).

    .venv/bin/python -m bench.consultation_mesh [--seconds 30] [--sizes 2,3,4]

On one machine every participant's browser runs here, so the browsers' CPU is N participants' worth:
per participant it is the figure a patient's phone or a clinic's PC would carry. Results and the limit
they set: docs/calls.md, "How many in a room". Everything stays on loopback."""
import argparse
import os
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from gateway import dev_issuer
from linli_dev.devstack import free_port, platform
from linli.kit.config import SETTINGS, setting
from linli_dev.testrun import ensure_chromium

COMMUNITY = "donghuayuan"
CITY = "city-central-hospital"
TICKS = os.sysconf("SC_CLK_TCK")
STATS = """async () => {
  const out = {audio: {received: 0, lost: 0}, video: {received: 0, lost: 0, decoded: 0, width: 0, streams: 0},
               limits: {}};
  for (const {pc} of window.linliRoom.peers.values()) {
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp") {
        const kind = out[s.kind];
        kind.received += s.packetsReceived || 0; kind.lost += Math.max(0, s.packetsLost || 0);
        if (s.kind === "video") { kind.decoded += s.framesDecoded || 0; kind.width += s.frameWidth || 0; kind.streams += 1; }
      }
      if (s.type === "outbound-rtp" && s.kind === "video") {
        out.limits[s.qualityLimitationReason] = (out.limits[s.qualityLimitationReason] || 0) + 1;
      }
    });
  }
  return out;
}"""


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total / TICKS


def descendants(root: int, name: str) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), stat.split("(", 1)[1].split(")")[0])
    found, frontier = [], {root}
    while frontier:
        children = {pid for pid, (ppid, _) in parents.items() if ppid in frontier}
        found += [pid for pid in children if name in parents[pid][1]]
        frontier = children
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sizes", default="2,3,4")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    issuer_dir = tempfile.mkdtemp(prefix="linli-mesh-issuer-")
    gateway_port = free_port()
    env = {name: setting(name) for name in SETTINGS}
    env.update({name: f"127.0.0.1:{free_port()}" for name in (
        "ELDERCARE_API_ADDR", "VOLUNTEER_API_ADDR", "CLINIC_API_ADDR", "EMPLOYMENT_API_ADDR", "CLINIC_PARTNER_ADDR")})
    env.update({"GATEWAY_PORT": str(gateway_port), "MONGO_DB_PREFIX": "mesh_", "LINLI_DEV_ISSUER_DIR": issuer_dir,
                "CLINIC_MEETING_BASE_URL": f"http://127.0.0.1:{gateway_port}/consultation/",
                "CLINIC_PARTNER_TLS_DIR": str(Path(tempfile.mkdtemp(prefix="linli-mesh-alliance-")) / "partner-tls"),
                "GATEWAY_RATE_LIMIT_PER_SECOND": "1000", "GATEWAY_RATE_LIMIT_BURST": "1000",
                "GATEWAY_SHED_LOOP_LAG_SECONDS": "0"})
    stack = platform(env, Path(tempfile.mkdtemp(prefix="linli-mesh-logs-")), mongo_storage=":memory:",
                     isolated_broker=True)
    url = stack.gateway_url
    coturn = [p.popen.pid for p in stack.processes if p.name == "coturn"]

    def token(role, subject):
        return dev_issuer.issue_token(subject, [role], [COMMUNITY], directory=issuer_dir)

    def bearer(role, subject):
        return {"Authorization": f"Bearer {token(role, subject)}"}

    nurse = bearer("clinician", "mesh-nurse")
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=ensure_chromium(), headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required"])
            for size in [int(n) for n in args.sizes.split(",")]:
                resident = f"mesh-elder-{uuid.uuid4().hex[:6]}"
                patient = httpx.post(f"{url}/v1/patients", headers=nurse, timeout=10, json={
                    "community_id": COMMUNITY, "resident_id": resident, "name": "刘桂兰"}).json()
                httpx.post(f"{url}/v1/patients/{patient['id']}/consents", headers=nurse, timeout=10,
                           json={"scopes": ["teleconsultation"], "recipient": CITY})
                session = httpx.post(f"{url}/v1/teleconsultations", headers=nurse, timeout=10, json={
                    "patient_id": patient["id"], "partner_id": CITY, "department": "心内科", "reason": "mesh"}).json()
                start = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
                httpx.post(f"{url}/v1/teleconsultations/{session['id']}/schedule", headers=nurse, timeout=10,
                           json={"start": start, "duration_minutes": 30})
                people = [("resident", resident)] + [("clinician", f"mesh-doc-{i}") for i in range(size - 1)]
                pages = []
                for role, subject in people:
                    link = httpx.get(f"{url}/v1/teleconsultations/{session['id']}", headers=bearer(role, subject),
                                     timeout=10).json()["join_url"]
                    context = browser.new_context()
                    context.add_init_script(f"sessionStorage.setItem('linli.token', {token(role, subject)!r});")
                    page = context.new_page()
                    page.goto(link)
                    page.click("#join")
                    pages.append(page)
                for page in pages:  # everyone in touch with everyone else (the page's CSP forbids eval)
                    deadline = time.monotonic() + 120
                    while page.evaluate("() => window.linliRoom.peers.size") < size - 1:
                        if time.monotonic() > deadline:
                            raise SystemExit(f"{size} participants: the room never joined up")
                        time.sleep(0.5)
                time.sleep(8)  # ICE, DTLS, the encoders' ramp-up
                chromium = descendants(os.getpid(), "chrom")
                before = [page.evaluate(STATS) for page in pages]
                cpu0, turn0, t0 = cpu_seconds(chromium), cpu_seconds(coturn), time.monotonic()
                time.sleep(args.seconds)
                cpu1, turn1, t1 = cpu_seconds(chromium), cpu_seconds(coturn), time.monotonic()
                after = [page.evaluate(STATS) for page in pages]
                elapsed = t1 - t0

                def delta(kind, key):
                    return sum(a[kind][key] - b[kind][key] for a, b in zip(after, before))

                def loss(kind):
                    received, lost = delta(kind, "received"), delta(kind, "lost")
                    return 100 * lost / (received + lost) if received + lost else float("nan")

                streams = sum(a["video"]["streams"] for a in after) or 1
                limits: dict = {}
                for a in after:
                    for reason, count in a["limits"].items():
                        limits[reason] = limits.get(reason, 0) + count
                rows.append({
                    "participants": size,
                    "browsers_cpu_percent": round(100 * (cpu1 - cpu0) / elapsed),
                    "per_participant_cpu_percent": round(100 * (cpu1 - cpu0) / elapsed / size),
                    "coturn_cpu_percent": round(100 * (turn1 - turn0) / elapsed, 1),
                    "audio_loss_percent": round(loss("audio"), 2),
                    "video_loss_percent": round(loss("video"), 2),
                    "video_fps_received": round(delta("video", "decoded") / elapsed / streams, 1),
                    "video_width": round(sum(a["video"]["width"] for a in after) / streams),
                    "encoder_limits": limits,
                })
                print(rows[-1], flush=True)
                for page in pages:
                    page.click("#leave")
                    page.context.close()
            browser.close()
    finally:
        stack.stop()
    print("\n| participants | browsers' CPU (% of a core) | per participant | coturn CPU | audio loss | video loss | "
          "video fps received | video width | encoders limited by |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['participants']} | {r['browsers_cpu_percent']} % | {r['per_participant_cpu_percent']} % | "
              f"{r['coturn_cpu_percent']} % | {r['audio_loss_percent']} % | {r['video_loss_percent']} % | "
              f"{r['video_fps_received']} | {r['video_width']} px | {r['encoder_limits']} |")


if __name__ == "__main__":
    main()
