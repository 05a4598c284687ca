// Talking with the elder (docs/calls.md): the ring, and the one call this board is on.
//
// A care request whose last call is ringing rings on every board of its community (a repeating two-tone
// sound and a flashing row). Answering (POST .../call/answer) gets the call for this operator and
// acknowledges the request; then the board joins the call's room (SSE down, POST up, like the board's
// stream), takes the microphone, and offers: audio both ways, and the terminal's video when it has one.
// The terminal answers. ICE that fails tells the operator and shows the elder's phone on file for a phone
// call-back; a call that drops is recorded as dropped and can be rung again ("call back").
import { readFrames } from "/shared/sse.js";
import { t } from "./i18n.js";

const ROOM = (id) => `/v1/rooms/care-request/${encodeURIComponent(id)}/signals`;

const FAILED_ENDS = ["media_failed", "dropped", "terminal_offline"];

export const liveCall = (request) => {
  const last = request?.calls?.at(-1);
  return last && last.state !== "ended" ? last : null;
};
export const isRinging = (request) => {
  const call = liveCall(request);
  return Boolean(call && call.state === "ringing" && call.direction === "from_terminal");
};

// The ring: two tones, repeating, while anything rings (WebAudio: no sound file to fetch). Browsers allow
// sound only after the page was clicked; until then the board rings by sight alone.
class Ringer {
  constructor() {
    this.context = null;
    this.timer = null;
    for (const event of ["click", "keydown"]) {
      window.addEventListener(event, () => this.unlock(), { once: false, passive: true });
    }
  }

  unlock() {
    try {
      this.context ??= new AudioContext();
      if (this.context.state === "suspended") this.context.resume();
    } catch {
      this.context = null;
    }
  }

  set(ringing) {
    if (ringing && !this.timer) {
      this.beep();
      this.timer = setInterval(() => this.beep(), 2000);
    } else if (!ringing && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  beep() {
    const context = this.context;
    if (!context || context.state !== "running") return;
    for (const [offset, hz] of [[0, 880], [0.35, 660]]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = hz;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(context.currentTime + offset);
      oscillator.stop(context.currentTime + offset + 0.3);
    }
  }
}

export class Calls {
  // api(method, path, body) and token() come from board.js; onChange(request) re-draws after a change.
  constructor({ api, token, onChange }) {
    this.api = api;
    this.token = token;
    this.onChange = onChange;
    this.ringer = new Ringer();
    this.active = null; // the call this board is on: {requestId, callId, media, pc, local, stream, ...}
    window.linliCall = this; // for diagnostics (the browser tests read getStats through it)
  }

  // Every redraw: ring while anything of this community rings.
  update(requests) {
    this.ringer.set([...requests].some(isRinging));
  }

  // -- actions ---------------------------------------------------------------------------------------

  async answer(request) {
    const changed = await this.api("POST", `/v1/care-requests/${encodeURIComponent(request.id)}/call/answer`,
      { call_id: liveCall(request).id });
    this.onChange(changed);
    await this.connect(changed, liveCall(changed));
    return changed;
  }

  async callBack(request) {
    const changed = await this.api("POST", `/v1/care-requests/${encodeURIComponent(request.id)}/call`, {});
    this.onChange(changed);
    await this.connect(changed, liveCall(changed));
    return changed;
  }

  async hangUp(reason = "hung_up") {
    const active = this.active;
    if (!active) return null;
    this.teardown(`call_ended_${reason}`);
    try {
      const changed = await this.api("POST", `/v1/care-requests/${encodeURIComponent(active.requestId)}/call/end`,
        { call_id: active.callId, reason });
      this.onChange(changed);
      return changed;
    } catch {
      return null; // already ended (the other side hung up first): the stream brings the final state
    }
  }

  toggleMute() {
    const active = this.active;
    if (!active?.local) return;
    active.muted = !active.muted;
    for (const track of active.local.getAudioTracks()) track.enabled = !active.muted;
    this.signal({ type: "mute", muted: active.muted }).catch(() => {});
    this.redraw();
  }

  // -- the media ---------------------------------------------------------------------------------------

  async connect(request, call) {
    this.teardown();
    const servers = await this.api("GET", "/v1/calls/ice-servers");
    const pc = new RTCPeerConnection({ iceServers: servers.iceServers,
      iceTransportPolicy: servers.ice_transport_policy ?? "all" });
    const active = {
      requestId: request.id, callId: call.id, media: call.media, phone: call.callback_phone, pc, peer: null,
      terminalPeer: null, answered: false, muted: false, state: "connecting", startedAt: null, candidates: [],
      remote: new MediaStream(), level: 0, abort: new AbortController(), message: null,
    };
    this.active = active;
    this.redraw();
    try {
      active.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch {
      active.message = "call_no_microphone";
      active.local = null;
    }
    for (const track of active.local?.getAudioTracks() ?? []) pc.addTrack(track, active.local);
    if (!active.local) pc.addTransceiver("audio", { direction: "recvonly" });
    if (call.media === "audio_video") pc.addTransceiver("video", { direction: "recvonly" });
    pc.ontrack = (event) => {
      active.remote.addTrack(event.track);
      this.attachMedia();
    };
    pc.onicecandidate = (event) => {
      const candidate = event.candidate ? event.candidate.toJSON() : null;
      if (!candidate) return;
      active.candidates.push(candidate);
      this.signal({ type: "candidate", candidate, to: active.terminalPeer ?? undefined }).catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (this.active !== active) return;
      if (pc.connectionState === "connected" && active.state !== "talking") {
        active.state = "talking";
        active.startedAt = Date.now();
      } else if (pc.connectionState === "failed") {
        // ICE found no way through: say so, offer the phone, and record why the call ended.
        const started = active.startedAt;
        this.hangUp(started ? "dropped" : "media_failed").then(() => this.redraw());
      }
      this.redraw();
    };
    this.listen(active);
  }

  async listen(active) {
    try {
      const response = await fetch(ROOM(active.requestId), {
        headers: { Authorization: `Bearer ${this.token()}`, Accept: "text/event-stream" },
        signal: active.abort.signal, cache: "no-store",
      });
      if (!response.ok) throw new Error(`room answered ${response.status}`);
      await readFrames(response.body, (frame) => this.onSignal(active, frame.event, JSON.parse(frame.data)));
    } catch (error) {
      if (error.name === "AbortError") return;
    }
    if (this.active === active && active.state !== "ended") {
      // The room's stream ended under us (a gateway restart): join again; the terminal answers anew.
      setTimeout(() => this.active === active && this.listen(active), 1000);
    }
  }

  async offer(active, to) {
    const pc = active.pc;
    if (!pc.localDescription) await pc.setLocalDescription(await pc.createOffer());
    await this.signal({ type: "offer", sdp: pc.localDescription.sdp, to });
    if (to) for (const candidate of active.candidates) await this.signal({ type: "candidate", candidate, to });
  }

  async onSignal(active, type, signal) {
    if (this.active !== active) return;
    const fromTerminal = signal.from?.role === "terminal";
    if (type === "welcome") {
      active.peer = signal.from.peer;
      await this.offer(active); // to whoever is there: the terminal that pressed waits in the room
    } else if (type === "join" && fromTerminal && !active.answered) {
      active.terminalPeer = signal.from.peer; // it came after our offer (a call-back): offer to it
      await this.offer(active, signal.from.peer);
    } else if (type === "answer" && fromTerminal && !active.answered) {
      active.answered = true;
      active.terminalPeer = signal.from.peer;
      await active.pc.setRemoteDescription({ type: "answer", sdp: signal.sdp });
    } else if (type === "candidate" && fromTerminal && signal.candidate?.candidate) {
      await active.pc.addIceCandidate(signal.candidate).catch(() => {});
    } else if (type === "mute" && fromTerminal) {
      active.remoteMuted = signal.muted;
      this.redraw();
    } else if (type === "hangup" && fromTerminal) {
      this.teardown(signal.reason === "terminal_offline" ? null : "call_ended_by_elder");
    }
  }

  signal(body) {
    const active = this.active;
    if (!active?.peer) return Promise.resolve();
    return this.api("POST", ROOM(active.requestId), { ...body, peer: active.peer });
  }

  attachMedia() {
    const active = this.active;
    if (!active) return;
    const audio = document.getElementById("call-audio");
    if (audio && audio.srcObject !== active.remote) audio.srcObject = active.remote;
    const video = document.getElementById("call-video");
    if (video && active.remote.getVideoTracks().length && video.srcObject !== active.remote) video.srcObject = active.remote;
    if (!active.meter && active.remote.getAudioTracks().length) active.meter = this.meter(active);
  }

  // The elder's audio level, 0..1, from the received audio (shown as a bar).
  meter(active) {
    try {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      context.createMediaStreamSource(active.remote).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        active.level = Math.min(1, Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length) * 4);
        const bar = document.getElementById("call-level");
        if (bar) bar.style.width = `${Math.round(active.level * 100)}%`;
      }, 100);
      return { stop: () => { clearInterval(timer); context.close(); } };
    } catch {
      return { stop() {} };
    }
  }

  teardown(message = null) {
    const active = this.active;
    if (!active) return;
    active.state = "ended";
    active.abort.abort();
    active.meter?.stop();
    for (const track of active.local?.getTracks() ?? []) track.stop();
    active.pc.close();
    this.active = null;
    if (message) this.lastEnded = { requestId: active.requestId, message };
    this.redraw();
  }

  // What getStats says of the call: packets both ways, the chosen candidate pair, decoded video frames.
  async stats() {
    const pc = this.active?.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    const out = { audio_in: null, audio_out: null, video_in: null, pair: null };
    const byId = new Map([...report.values()].map((s) => [s.id, s]));
    for (const s of report.values()) {
      if (s.type === "inbound-rtp" && s.kind === "audio") out.audio_in = { packets: s.packetsReceived, bytes: s.bytesReceived };
      if (s.type === "outbound-rtp" && s.kind === "audio") out.audio_out = { packets: s.packetsSent, bytes: s.bytesSent };
      if (s.type === "inbound-rtp" && s.kind === "video") out.video_in = { frames_decoded: s.framesDecoded, width: s.frameWidth };
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
        out.pair = { local: byId.get(s.localCandidateId)?.candidateType, remote: byId.get(s.remoteCandidateId)?.candidateType,
                     local_address: byId.get(s.localCandidateId)?.address };
      }
    }
    return out;
  }

  redraw() {
    this.onChange(null);
  }

  // -- drawing: the call section of the detail panel ---------------------------------------------------

  render(container, request, el) {
    const call = liveCall(request);
    const active = this.active?.requestId === request.id ? this.active : null;
    const parts = [];
    if (active) {
      const talking = active.state === "talking";
      const seconds = talking ? Math.floor((Date.now() - active.startedAt) / 1000) : 0;
      parts.push(el("div", { class: `call-banner ${talking ? "talking" : "connecting"}` },
        el("span", { class: "call-state", "data-testid": "call-state", text: t(talking ? "call_talking" : "call_connecting") }),
        el("span", { class: "call-timer mono", id: "call-timer", "data-started": active.startedAt ?? "",
          text: `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}` }),
        el("span", { class: "level", title: t("call_level") }, el("i", { id: "call-level" })),
        active.remoteMuted ? el("span", { class: "muted", text: t("call_elder_muted") }) : null,
        call ? el("span", { class: "recording", "data-testid": "call-recording",
          text: t(call.recording_allowed ? "call_recording_on" : "call_recording_off") }) : null));
      if (active.media === "audio_video") {
        parts.push(el("video", { id: "call-video", class: "call-video", autoplay: true, playsinline: true, muted: true }));
      }
      parts.push(el("audio", { id: "call-audio", autoplay: true }));
      parts.push(el("div", { class: "call-actions" },
        el("button", { type: "button", class: active.muted ? "warn" : "", "data-action": "mute",
          text: t(active.muted ? "call_unmute" : "call_mute"), onclick: () => this.toggleMute() }),
        el("button", { type: "button", class: "warn", "data-action": "hang-up", text: t("call_hang_up"),
          onclick: () => this.hangUp() })));
      if (active.message) parts.push(el("p", { class: "message error", text: t(active.message) }));
    } else if (isRinging(request)) {
      parts.push(el("div", { class: "call-banner ringing" },
        el("span", { class: "call-state", "data-testid": "call-state",
          text: t(call.media === "audio_video" ? "call_ringing_video" : "call_ringing") }),
        el("button", { type: "button", class: "primary", "data-action": "answer-call", text: t("call_answer"),
          onclick: () => this.act(() => this.answer(request)) })));
    } else if (call) {
      const by = call.direction === "from_terminal" ? call.answered_by : call.offered_by;
      parts.push(el("div", { class: "call-banner" },
        el("span", { class: "call-state", "data-testid": "call-state", text: `${t("call_taken_by")} ${by}` })));
    } else {  // any open request: the api says so when the elder has no terminal that can take a call
      parts.push(el("div", { class: "call-actions" },
        el("button", { type: "button", "data-action": "call-back", text: t("call_back"),
          onclick: () => this.act(() => this.callBack(request)) })));
    }
    // A call that failed, dropped or lost its terminal says so on every board (it is on the request), with
    // the elder's phone on file to ring instead: help still comes when the media does not.
    const last = (request.calls ?? []).at(-1);
    const failure = !active && last?.state === "ended" && FAILED_ENDS.includes(last.end_reason) ? last : null;
    if (failure) {
      const phone = failure.callback_phone;
      parts.push(el("p", { class: "message error", "data-testid": "call-failed" },
        `${t(`call_failed_${failure.end_reason}`)} `,
        phone ? [`${t("call_phone_back")} `, el("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}`,
          "data-testid": "call-phone", text: phone })] : null));
    }
    const ended = this.lastEnded?.requestId === request.id ? this.lastEnded : null;
    if (ended && !active && !failure) parts.push(el("p", { class: "message", text: t(ended.message) }));
    const past = (request.calls ?? []).filter((c) => c.state === "ended");
    if (past.length) {
      parts.push(el("ol", { class: "call-log" }, ...past.map((c) => el("li", {
        text: `${t(`call_dir_${c.direction}`)} · ${t(`call_end_${c.end_reason}`)} · ${c.duration_seconds}s${c.answered_by ? ` · ${c.answered_by}` : ""}`,
      }))));
    }
    container.replaceChildren(...parts);
    if (active) this.attachMedia();
  }

  async act(action) {
    const message = document.getElementById("action-message");
    try {
      await action();
    } catch (error) {
      if (message) {
        message.className = "message error";
        message.textContent = `${t("failed")}: ${error.message}`;
      }
    }
  }

  // Every second: the timer of the call under way.
  tick() {
    const timer = document.getElementById("call-timer");
    const started = Number(timer?.dataset.started);
    if (!timer || !started) return;
    const seconds = Math.floor((Date.now() - started) / 1000);
    timer.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  }
}
