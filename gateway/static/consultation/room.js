// Linli's consultation room (docs/calls.md, "Consultation rooms"): the patient, the community clinician
// and the hospital's specialist see and hear each other. Media is a full mesh of RTCPeerConnections (one
// per other participant), relayed through coturn: relay-only, so nobody learns another's home address.
//
// The link is /consultation/?teleconsultation=<id>#join=<token>. The token stays in the fragment, which
// the browser never sends anywhere; the page sends it in a header. The patient's and a clinician's token
// work only with their own sign-in (the bearer token, kept in this tab's sessionStorage like the board's);
// a hospital's link works alone, bound to a random device key this tab keeps.
//
// Signalling: the room's Server-Sent Events (read with fetch(), so no secret goes in a URL) and a POST per
// offer, answer or candidate. Whoever is in the room offers to each one who joins after it.
import { readFrames } from "/shared/sse.js";

const TOKEN_KEY = "linli.token"; // the signed-in person's bearer token (sessionStorage)
const DEVICE_KEY = "linli.consultation.device";
const LANG_KEY = "linli.lang";

const WORDS = {
  zh: {
    title: "远程会诊", sign_in_title: "请先登录", sign_in_token: "访问令牌 (Bearer token)", sign_in_submit: "登录",
    sign_in_hint: "此会诊链接只对本人有效：请用您自己的邻里账号登录。",
    lobby_title: "准备进入诊室", lobby_hint: "进入后，患者、社区医生和医院专家可以互相看到、听到。", join: "进入诊室",
    me: "我", alone: "等待其他参与者进入…", mute: "静音", unmute: "取消静音", camera_off: "关闭摄像头",
    camera_on: "打开摄像头", leave: "离开诊室", left_title: "您已离开诊室", rejoin: "重新进入",
    state_connecting: "连接中…", state_live: "已连接", state_lost: "已断开，重连中…",
    patient: "患者", clinician: "社区医生", specialist: "医院专家",
    bad_link: "链接不完整：请使用短信或应用中收到的完整会诊链接。",
    refused_404: "此链接不属于这次会诊，或已失效。", refused_403: "此链接属于其他人，不能用于您的账号或设备。",
    refused_409: "现在不能进入诊室", refused_401: "登录已失效，请重新登录。", refused_other: "暂时无法进入诊室，请稍后再试。",
    no_media: "无法使用摄像头或麦克风：请在浏览器中允许访问。",
  },
  en: {
    title: "Teleconsultation", sign_in_title: "Please sign in", sign_in_token: "Access token (Bearer)", sign_in_submit: "Sign in",
    sign_in_hint: "This link is yours alone: sign in with your own Linli account.",
    lobby_title: "Ready to enter the room", lobby_hint: "In the room, the patient, the community clinician and the hospital's specialist see and hear each other.",
    join: "Enter the room", me: "Me", alone: "Waiting for the others…", mute: "Mute", unmute: "Unmute",
    camera_off: "Camera off", camera_on: "Camera on", leave: "Leave the room", left_title: "You left the room",
    rejoin: "Enter again", state_connecting: "Connecting…", state_live: "Connected", state_lost: "Disconnected, retrying…",
    patient: "Patient", clinician: "Community clinician", specialist: "Hospital specialist",
    bad_link: "The link is incomplete: use the whole consultation link you received.",
    refused_404: "This link is not for this consultation, or no longer valid.",
    refused_403: "This link belongs to someone else and cannot be used with your account or device.",
    refused_409: "The room cannot be entered now", refused_401: "Your sign-in expired: sign in again.",
    refused_other: "The room cannot be reached right now; try again shortly.",
    no_media: "The camera or microphone cannot be used: allow access in the browser.",
  },
};

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));

const state = {
  lang: localStorage.getItem(LANG_KEY) || (navigator.language.startsWith("zh") ? "zh" : "en"),
  id: params.get("teleconsultation"),
  joinToken: fragment.get("join"),
  pass: null, // what the token says: {p: participant, s: subject, e: expiry}
  bearer: sessionStorage.getItem(TOKEN_KEY),
  device: null,
  media: null,
  iceServers: [],
  me: null, // this stream's peer id
  peers: new Map(), // peer id -> {pc, role, tile, makingOffer}
  stream: null, // AbortController of the room's stream
  muted: false,
  cameraOff: false,
};
// For tests and support: the room's peers (each has pc, an RTCPeerConnection).
window.linliRoom = state;

function t(key) {
  return WORDS[state.lang][key] ?? key;
}

function translate() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = `${t("title")} · Linli`;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang-toggle").textContent = state.lang === "zh" ? "EN" : "中文";
  $("mute").textContent = t(state.muted ? "unmute" : "mute");
  $("camera").textContent = t(state.cameraOff ? "camera_on" : "camera_off");
  for (const peer of state.peers.values()) peer.caption.textContent = t(peer.role);
  if (state.pass) $("who").textContent = t(state.pass.p === "partner" ? "specialist" : state.pass.p);
}

function show(...ids) {
  for (const id of ["sign-in", "lobby", "room", "left"]) $(id).hidden = !ids.includes(id);
}

function setState(which) {
  $("state").dataset.state = which;
  $("state").textContent = which === "idle" ? "" : t(`state_${which}`);
}

function showProblem(text) {
  $("problem").textContent = text;
  $("problem").hidden = !text;
}

class Refused extends Error {
  constructor(status, detail) {
    super(detail || `refused (${status})`);
    this.status = status;
    this.detail = detail;
  }
}

function refusedText(error) {
  const known = { 401: "refused_401", 403: "refused_403", 404: "refused_404", 409: "refused_409" };
  const headline = t(known[error.status] ?? "refused_other");
  return error.status === 409 && error.detail ? `${headline}: ${error.detail}` : headline;
}

function decodePass(token) {
  try {
    const part = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return null;
  }
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function headers(extra = {}) {
  const out = { "X-Linli-Join-Token": state.joinToken, "X-Linli-Join-Device": state.device, ...extra };
  if (state.bearer && state.pass.p !== "partner") out.Authorization = `Bearer ${state.bearer}`;
  return out;
}

const base = () => `/v1/teleconsultations/${encodeURIComponent(state.id)}/room`;

async function refusal(response) {
  let detail = "";
  try {
    detail = (await response.json()).detail ?? "";
  } catch { /* not a problem document */ }
  return new Refused(response.status, detail);
}

async function send(signal) {
  const response = await fetch(`${base()}/signals`, {
    method: "POST", headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify({ ...signal, peer: state.me }),
  });
  if (!response.ok) throw await refusal(response);
}

// -- media ---------------------------------------------------------------------------------------------

async function openMedia() {
  if (state.media) return state.media;
  try {
    state.media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  } catch {
    state.media = await navigator.mediaDevices.getUserMedia({ audio: true }); // no camera: voice alone
  }
  $("preview").srcObject = state.media;
  $("self").srcObject = state.media;
  return state.media;
}

function addTile(peerId, role) {
  const figure = document.createElement("figure");
  figure.className = "tile";
  figure.dataset.peer = peerId;
  figure.dataset.role = role;
  const video = document.createElement("video");
  video.autoplay = true;
  video.playsInline = true;
  const caption = document.createElement("figcaption");
  caption.textContent = t(role);
  figure.append(video, caption);
  $("tiles").append(figure);
  $("alone").hidden = true;
  return { video, caption, figure };
}

function peerFor(peerId, role) {
  let peer = state.peers.get(peerId);
  if (peer) return peer;
  const pc = new RTCPeerConnection({ iceServers: state.iceServers, iceTransportPolicy: "relay" });
  const tile = addTile(peerId, role);
  peer = { pc, role, caption: tile.caption, figure: tile.figure, makingOffer: false };
  state.peers.set(peerId, peer);
  for (const track of state.media.getTracks()) pc.addTrack(track, state.media);
  pc.ontrack = ({ streams }) => {
    tile.video.srcObject = streams[0];
  };
  pc.onicecandidate = ({ candidate }) => {
    if (candidate && candidate.candidate) send({ type: "candidate", candidate: candidate.toJSON(), to: peerId }).catch(() => {});
  };
  return peer;
}

function dropPeer(peerId) {
  const peer = state.peers.get(peerId);
  if (!peer) return;
  peer.pc.close();
  peer.figure.remove();
  state.peers.delete(peerId);
  $("alone").hidden = state.peers.size > 0;
}

async function offerTo(peerId, role) {
  const peer = peerFor(peerId, role);
  peer.makingOffer = true;
  try {
    await peer.pc.setLocalDescription(await peer.pc.createOffer());
    await send({ type: "offer", sdp: peer.pc.localDescription.sdp, to: peerId });
  } finally {
    peer.makingOffer = false;
  }
}

// Perfect negotiation: when two offer to each other at once, the peer with the greater id yields.
async function onOffer(from, sdp) {
  const peer = peerFor(from.peer, from.role);
  const collision = peer.makingOffer || peer.pc.signalingState !== "stable";
  if (collision && state.me < from.peer) return; // impolite: ours stands, theirs is ignored
  await peer.pc.setRemoteDescription({ type: "offer", sdp });
  await peer.pc.setLocalDescription(await peer.pc.createAnswer());
  await send({ type: "answer", sdp: peer.pc.localDescription.sdp, to: from.peer });
}

async function onSignal(event, data) {
  const from = data.from ?? {};
  if (event === "welcome") {
    state.me = from.peer;
  } else if (event === "join") {
    await offerTo(from.peer, from.role);
  } else if (event === "offer") {
    await onOffer(from, data.sdp);
  } else if (event === "answer") {
    const peer = state.peers.get(from.peer);
    if (peer && peer.pc.signalingState === "have-local-offer") await peer.pc.setRemoteDescription({ type: "answer", sdp: data.sdp });
  } else if (event === "candidate") {
    const peer = state.peers.get(from.peer);
    if (peer && data.candidate?.candidate) await peer.pc.addIceCandidate(data.candidate).catch(() => {});
  } else if (event === "leave" || event === "hangup") {
    dropPeer(from.peer);
  }
}

// -- the room's stream ---------------------------------------------------------------------------------

async function enter() {
  showProblem("");
  const controller = new AbortController();
  state.stream = controller;
  let backoff = 1000;
  while (state.stream === controller) {
    setState("connecting");
    try {
      const ice = await fetch(`${base()}/ice-servers`, { headers: headers() });
      if (!ice.ok) throw await refusal(ice);
      state.iceServers = (await ice.json()).iceServers;
      const response = await fetch(`${base()}/signals`, {
        headers: headers({ Accept: "text/event-stream" }), signal: controller.signal, cache: "no-store",
      });
      if (!response.ok) throw await refusal(response);
      show("room");
      setState("live");
      backoff = 1000;
      await readFrames(response.body, ({ event, data }) =>
        onSignal(event, JSON.parse(data)).catch((error) => console.warn(event, error)));
    } catch (error) {
      if (state.stream !== controller) return;
      if (error instanceof Refused && error.status < 500 && error.status !== 429) {
        hangUp(false);
        if (error.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          state.bearer = null;
          show("sign-in");
        } else {
          show("lobby");
        }
        showProblem(refusedText(error));
        return;
      }
    }
    if (state.stream !== controller) return;
    // The gateway went away: start afresh; those still in the room offer again when we rejoin.
    for (const peerId of [...state.peers.keys()]) dropPeer(peerId);
    setState("lost");
    await new Promise((resolve) => setTimeout(resolve, backoff + Math.random() * 500));
    backoff = Math.min(backoff * 2, 15_000);
  }
}

function hangUp(tellOthers = true) {
  if (tellOthers && state.me) send({ type: "hangup", reason: "hung_up" }).catch(() => {});
  state.stream?.abort();
  state.stream = null;
  for (const peerId of [...state.peers.keys()]) dropPeer(peerId);
  state.me = null;
  setState("idle");
}

// -- wiring --------------------------------------------------------------------------------------------

function ready() {
  state.device = sessionStorage.getItem(DEVICE_KEY) || randomKey();
  sessionStorage.setItem(DEVICE_KEY, state.device);
  if (state.pass.p !== "partner" && !state.bearer) return show("sign-in");
  show("lobby");
  openMedia().catch(() => showProblem(t("no_media")));
}

$("lang-toggle").addEventListener("click", () => {
  state.lang = state.lang === "zh" ? "en" : "zh";
  localStorage.setItem(LANG_KEY, state.lang);
  translate();
});
$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("sign-in-token").value.trim();
  if (!token) return;
  state.bearer = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  showProblem("");
  ready();
});
$("join").addEventListener("click", async () => {
  try {
    await openMedia();
  } catch {
    return showProblem(t("no_media"));
  }
  enter();
});
$("mute").addEventListener("click", () => {
  state.muted = !state.muted;
  for (const track of state.media.getAudioTracks()) track.enabled = !state.muted;
  $("mute").setAttribute("aria-pressed", String(state.muted));
  if (state.me) send({ type: "mute", muted: state.muted }).catch(() => {});
  translate();
});
$("camera").addEventListener("click", () => {
  state.cameraOff = !state.cameraOff;
  for (const track of state.media.getVideoTracks()) track.enabled = !state.cameraOff;
  $("camera").setAttribute("aria-pressed", String(state.cameraOff));
  translate();
});
$("leave").addEventListener("click", () => {
  hangUp();
  show("left");
});
$("rejoin").addEventListener("click", () => enter());
window.addEventListener("pagehide", () => hangUp());

state.pass = state.joinToken ? decodePass(state.joinToken) : null;
translate();
if (!state.id || !state.pass) {
  showProblem(t("bad_link"));
} else {
  ready();
}
