"""Calls in the browser (docs/calls.md): Chromium with fake media, signed in on the board, answers a call
from the aiortc terminal (`linli terminal`, a real process) through the gateway's signalling and coturn.
getStats() shows audio both ways; the terminal's recording holds the browser's tone, and the browser hears
the terminal's; with relay-only ICE on both ends the media provably crosses coturn; a video terminal's
frames reach the board's video pane, decoded and not black.

Loopback only: coturn listens and relays on 127.0.0.1 with every other peer denied; the board gets
iceTransportPolicy "relay" (LINLI_ICE_TRANSPORT_POLICY in the test stack), so Chromium offers none of the
machine's addresses; the terminal gathers on 127.0.0.1 alone and ignores any candidate off loopback."""
import json
import math
import re
import subprocess
import sys
import time
import wave
from pathlib import Path

import httpx
import numpy
import pytest
from playwright.sync_api import Page, expect

from linli_dev import terminal
from linli_dev.devstack import ROOT
from linli_dev.testrun import ensure_chromium
from tests.browser.conftest import CHROMIUM_ARGS
from tests.e2e.arrange import elder_with_pager, ok
from tests.e2e.conftest import token_for

BROWSER_TONE_HZ = 1000  # what the board's fake microphone plays (a file we write)
TERMINAL_TONE_HZ = 660  # what the terminal plays
# The terminal would hang up after this long; the board hangs up first, once the test has what it checks.
TERMINAL_SECONDS = 60


@pytest.fixture(scope="module")
def media_browser(playwright_session, tmp_path_factory):
    """Chromium whose fake microphone plays a known tone, with loopback allowed in peer connections."""
    tone = tmp_path_factory.mktemp("tone") / "tone.wav"
    with wave.open(str(tone), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(48000)
        n = numpy.arange(48000 * 2)
        wav.writeframes((numpy.sin(2 * math.pi * BROWSER_TONE_HZ * n / 48000) * 12000).astype(numpy.int16).tobytes())
    args = CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                            f"--use-file-for-fake-audio-capture={tone}", "--allow-loopback-in-peer-connection",
                            "--autoplay-policy=no-user-gesture-required"]
    browser = playwright_session.chromium.launch(executable_path=ensure_chromium(), headless=True, args=args)
    yield browser
    browser.close()


def open_board(browser, gateway_url, token) -> tuple[Page, list]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{gateway_url}/board")
    page.fill("#token", token)
    page.click("#login-submit")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    return page, errors


def start_terminal(stack, gateway_url, issuer_dir, device_id, record: Path, *extra) -> subprocess.Popen:
    argv = [sys.executable, "-m", "linli_dev.cli", "terminal", "--gateway", gateway_url, "--device-id", device_id,
            "--issuer-dir", issuer_dir, "--seconds", str(TERMINAL_SECONDS), "--ring-seconds", "30",
            "--tone", str(TERMINAL_TONE_HZ), "--record", str(record), *extra]
    return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**stack.env, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"})


def answer_in_the_board(page: Page, proc: subprocess.Popen) -> str:
    """The terminal presses; the board rings; the operator answers. Returns the care request id."""
    pressed = json.loads(proc.stdout.readline())
    care_request_id = pressed["pressed"]
    row = page.locator(f'#queue .call[data-id="{care_request_id}"]')
    expect(row.locator("[data-testid=ringing]")).to_be_visible()  # it rings, in the queue
    expect(row).to_have_class(re.compile(r"\bringing\b"))  # and flashes
    row.click()
    page.click('#call [data-action="answer-call"]')
    expect(page.locator("#call [data-testid=call-state]")).to_have_text("通话中", timeout=20_000)
    return care_request_id


def stats_once(page: Page, condition, timeout: float = 30) -> dict:
    """The board's getStats() summary (call.js) once condition holds. Polled from here: page.evaluate
    awaits the promise getStats() returns, which wait_for_function would not."""
    deadline = time.monotonic() + timeout
    while True:
        stats = page.evaluate("window.linliCall.stats()")
        if stats and condition(stats):
            return stats
        assert time.monotonic() < deadline, f"the call's statistics never got there: {stats}"
        page.wait_for_timeout(250)


def wait_for_audio_both_ways(page: Page) -> dict:
    """getStats() once a second of audio has gone each way and ICE has chosen its pair."""
    return stats_once(page, lambda s: s["pair"] and (s["audio_in"] or {}).get("packets", 0) > 50
                      and (s["audio_out"] or {}).get("packets", 0) > 50)


def hang_up(page: Page, proc: subprocess.Popen) -> dict:
    """The operator hangs up in the board; the terminal hears it, stops, and says what it heard."""
    page.click('#call [data-action="hang-up"]')
    summary = finish(proc)
    assert summary["ended_by"] == "operator"
    return summary


def loudest_frequency_heard(page: Page) -> float:
    """The strongest frequency in what the board receives from the elder, over half a second."""
    return page.evaluate("""async () => {
        const context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 8192;
        context.createMediaStreamSource(window.linliCall.active.remote).connect(analyser);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const bins = new Float32Array(analyser.frequencyBinCount);
        analyser.getFloatFrequencyData(bins);
        let best = 0;
        for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
        await context.close();
        return best * context.sampleRate / analyser.fftSize;
    }""")


def finish(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


def assert_heard_the_browser(record: Path) -> None:
    samples, rate = terminal.read_wav(record)
    assert len(samples) / rate > 1.0
    assert terminal.tone_share(samples, rate, BROWSER_TONE_HZ) > 0.5  # the browser's tone, not noise
    assert terminal.tone_share(samples, rate, TERMINAL_TONE_HZ) < 0.05  # and not an echo of our own


def test_the_board_answers_the_terminal_and_audio_flows_both_ways(
        media_browser, stack, gateway_url, operator_headers, issuer_dir, tmp_path):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", speakerphone=True)
    page, errors = open_board(media_browser, gateway_url, token_for(issuer_dir, "operator", "op-wang"))
    proc = start_terminal(stack, gateway_url, issuer_dir, device_id, tmp_path / "heard.wav")
    try:
        care_request_id = answer_in_the_board(page, proc)
        stats = wait_for_audio_both_ways(page)
        assert abs(loudest_frequency_heard(page) - TERMINAL_TONE_HZ) < 15
        assert stats["pair"]["local"] == "relay"  # the board offers nothing but coturn's relay
        summary = hang_up(page, proc)
    finally:
        proc.kill()
    assert summary["connected"]
    assert_heard_the_browser(tmp_path / "heard.wav")
    # The board shows the call ended, and the request records who answered, who hung up, and how long.
    expect(page.locator("#call")).to_contain_text("已挂断")
    request = ok(httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}",
                                         headers=operator_headers, timeout=5))
    [call] = request["calls"]
    assert (call["state"], call["answered_by"], call["end_reason"], call["ended_by"]) == (
        "ended", "op-wang", "hung_up", "op-wang")
    assert request["acknowledged_by"] == "op-wang" and call["duration_seconds"] >= 1
    assert not errors


def test_with_relay_only_ice_on_both_ends_the_media_crosses_coturn(
        media_browser, stack, gateway_url, operator_headers, issuer_dir, tmp_path):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "西区 9号楼", speakerphone=True)
    page, errors = open_board(media_browser, gateway_url, token_for(issuer_dir, "operator", "op-li"))
    proc = start_terminal(stack, gateway_url, issuer_dir, device_id, tmp_path / "heard.wav", "--relay-only")
    try:
        answer_in_the_board(page, proc)
        stats = wait_for_audio_both_ways(page)
        summary = hang_up(page, proc)
    finally:
        proc.kill()
    assert stats["pair"]["local"] == stats["pair"]["remote"] == "relay"
    assert summary["selected_pair"] == {"local": "relay", "remote": "relay"}
    assert_heard_the_browser(tmp_path / "heard.wav")
    assert not errors


def test_a_video_terminals_frames_reach_the_boards_video_pane(
        media_browser, stack, gateway_url, operator_headers, issuer_dir, tmp_path):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 7号楼", device_kind="video_terminal")
    page, errors = open_board(media_browser, gateway_url, token_for(issuer_dir, "operator", "op-zhou"))
    proc = start_terminal(stack, gateway_url, issuer_dir, device_id, tmp_path / "heard.wav", "--kind", "video_terminal")
    try:
        answer_in_the_board(page, proc)
        stats_once(page, lambda s: (s["video_in"] or {}).get("frames_decoded", 0) > 10)
        brightness = page.evaluate("""() => {
            const video = document.getElementById("call-video");
            const canvas = document.createElement("canvas");
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            const context = canvas.getContext("2d");
            context.drawImage(video, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let sum = 0;
            for (let i = 0; i < pixels.length; i += 4) sum += pixels[i] + pixels[i + 1] + pixels[i + 2];
            return { width: video.videoWidth, mean: sum / (pixels.length / 4) / 3 };
        }""")
        hang_up(page, proc)
    finally:
        proc.kill()
    assert brightness["width"] == 320 and brightness["mean"] > 60  # colour bars, not a black pane
    assert not errors


def test_the_operator_calls_the_elders_terminal_back_from_a_request_raised_by_phone(
        media_browser, stack, gateway_url, operator_headers, issuer_dir, tmp_path):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "西区 11号楼", speakerphone=True)
    raised = ok(httpx.post(f"{gateway_url}/v1/care-requests", headers=operator_headers, timeout=10, json={
        "community_id": "donghuayuan", "elder_id": elder_id, "kind": "medical", "channel": "phone"}), 201)
    page, errors = open_board(media_browser, gateway_url, token_for(issuer_dir, "operator", "op-sun"))
    proc = start_terminal(stack, gateway_url, issuer_dir, device_id, tmp_path / "heard.wav", "--listen")
    try:
        assert json.loads(proc.stdout.readline()) == {"listening": device_id}
        page.locator(f'#queue .call[data-id="{raised["id"]}"]').click()
        page.click('#call [data-action="call-back"]')
        expect(page.locator("#call [data-testid=call-state]")).to_have_text("通话中", timeout=20_000)
        wait_for_audio_both_ways(page)
        summary = hang_up(page, proc)
    finally:
        proc.kill()
    assert summary["connected"]
    assert_heard_the_browser(tmp_path / "heard.wav")
    [call] = ok(httpx.get(f"{gateway_url}/v1/care-requests/{raised['id']}", headers=operator_headers,
                          timeout=5))["calls"]
    assert (call["direction"], call["offered_by"], call["answered_by"], call["end_reason"]) == (
        "to_terminal", "op-sun", device_id, "hung_up")
    assert call["ended_by"] == "op-sun"
    assert not errors


def test_when_the_terminal_goes_offline_in_a_call_the_board_says_so_and_offers_the_elders_phone(
        media_browser, stack, gateway_url, operator_headers, issuer_dir, tmp_path):
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 7号楼", speakerphone=True)
    page, errors = open_board(media_browser, gateway_url, token_for(issuer_dir, "operator", "op-zhou"))
    proc = start_terminal(stack, gateway_url, issuer_dir, device_id, tmp_path / "heard.wav")
    try:
        care_request_id = answer_in_the_board(page, proc)
        wait_for_audio_both_ways(page)
        proc.kill()  # the terminal loses power: no hang-up, its signalling stream just closes
        failed = page.locator("#call [data-testid=call-failed]")
        expect(failed).to_contain_text("终端离线，通话已结束。", timeout=30_000)
        expect(failed).to_contain_text("请电话回拨：")
        phone = failed.locator("[data-testid=call-phone]")
        expect(phone).to_have_text("138 0413 1001")
        expect(phone).to_have_attribute("href", "tel:13804131001")
        expect(page.locator('#call [data-action="call-back"]')).to_be_visible()  # and it can be rung again
        page.click("#lang-toggle")
        expect(failed).to_contain_text("The terminal went offline; the call ended. Phone back: 138 0413 1001")
    finally:
        proc.kill()
    [call] = ok(httpx.get(f"{gateway_url}/v1/care-requests/{care_request_id}", headers=operator_headers,
                          timeout=5))["calls"]
    assert (call["end_reason"], call["ended_by"]) == ("terminal_offline", device_id)
    assert not errors
