// The board's words, Chinese first (the pilot community), English second. Keys, not sentences, so a
// missing translation shows the key rather than the wrong language.

export const LANGUAGES = ["zh", "en"];

const WORDS = {
  zh: {
    title: "居家养老指挥中心",
    stat_open: "待处理", stat_waiting: "待应答", stat_overdue: "已超时", stat_today: "今日呼叫", stat_sla: "按时应答率",
    logout: "退出", queue: "呼叫队列", queue_order: "按紧急程度、等待时间排序", queue_empty: "暂无待处理呼叫",
    site_plan: "社区平面图", detail: "呼叫详情", detail_empty: "点击队列或平面图中的呼叫查看详情",
    legend_urgent: "紧急", legend_medical: "助医", legend_routine: "日常服务", legend_unanswered: "未应答",
    elder_profile: "老人档案", history: "处置记录",
    login_title: "值班员登录", login_token: "访问令牌 (Bearer token)",
    login_hint: "令牌只保存在本标签页 (sessionStorage)，关闭标签页即清除。开发环境可用 linli token --role operator 生成。",
    login_submit: "进入调度大屏", login_failed: "令牌无效或已过期",
    connection_live: "实时", connection_connecting: "连接中…", connection_lost: "已断开，重连中…",
    waiting: "等待", ack_due: "应答时限", accept_due: "接单时限", eta: "预计到达", overdue: "超时",
    elder: "老人", location: "位置", channel: "来源", device: "呼叫器", raised_at: "呼叫时间", raised_by: "发起人",
    acknowledged: "应答", assignee: "服务人员", accepted: "已接单", not_accepted: "待接单", escalation: "升级",
    description: "诉求", visit: "到场", disposition: "结案", cancel_reason: "取消原因", feedback: "评价",
    floor: "层", priority: "优先级",
    act_acknowledge: "应答", act_escalate: "升级", act_cancel: "取消呼叫", act_close: "结案", act_assign: "派单",
    act_override: "指定派单", reason: "原因", note: "备注", candidates: "推荐人员", no_candidates: "暂无在岗的合适人员",
    override_pick: "— 选择其他人员 —", override_reason: "改派原因（不在推荐名单时必填）",
    escalate_reason: "升级原因", cancel_reason_input: "取消原因（如：误报）", close_note: "结案备注",
    done: "已完成操作", failed: "操作失败",
    elder_missing: "未找到老人档案", elder_unavailable: "老人档案暂不可用", elder_loading: "加载中…",
    phone: "电话", mobility: "行动能力", address: "住址", contacts: "联系人", holds_key: "持钥匙", conditions: "病史",
    allergies: "过敏", medications: "用药", withheld: "未授权查看",
    plan_positions: "按定位绘制", plan_layout: "按楼号示意",
    north: "北", zone_east: "东区", zone_west: "西区", no_location: "未知位置",
    off_shift: "不在岗",
    upcoming: "预约上门", upcoming_order: "按预约时间排序，到时进入呼叫队列", upcoming_empty: "暂无预约上门",
    scheduled_for: "预约时间",
    position: "定位", position_none: "无（未授权共享位置）", metres: "米",
    call_ringing: "语音来电", call_ringing_video: "视频来电", call_ringing_short: "来电",
    unreached_short: "家属未收到通知", unreached_detail: "推送和短信均未送达（{people} 人，尝试 {tried} 次）：请电话联系家属。", call_answer: "接听",
    call_connecting: "接通中…", call_talking: "通话中", call_hang_up: "挂断", call_mute: "静音", call_unmute: "取消静音",
    call_back: "回拨终端", call_taken_by: "已由其他值班员接听：", call_level: "老人音量", call_elder_muted: "老人端已静音",
    call_recording_on: "老人已同意录音：本通话可录音", call_recording_off: "未录音（老人未同意录音）",
    call_no_microphone: "无法使用麦克风：老人能听到提示音，但听不到您",
    call_failed_media_failed: "通话无法接通（网络不通）。", call_failed_dropped: "通话中断。",
    call_failed_terminal_offline: "终端离线，通话已结束。", call_phone_back: "请电话回拨：",
    call_ended_hung_up: "已挂断", call_ended_by_elder: "老人端已挂断", call_ended_dropped: "通话中断",
    call_ended_media_failed: "通话未能接通",
    call_dir_from_terminal: "老人来电", call_dir_to_terminal: "回拨", call_end_hung_up: "已挂断", call_end_dropped: "中断",
    call_end_unanswered: "未接听", call_end_terminal_offline: "终端离线", call_end_media_failed: "未接通",
  },
  en: {
    title: "Home Care Command Centre",
    stat_open: "Open", stat_waiting: "Unanswered", stat_overdue: "Overdue", stat_today: "Calls today", stat_sla: "Answered in time",
    logout: "Sign out", queue: "Call queue", queue_order: "by urgency, then waiting time", queue_empty: "No open calls",
    site_plan: "Site plan", detail: "Call details", detail_empty: "Select a call in the queue or on the plan",
    legend_urgent: "Emergency", legend_medical: "Medical", legend_routine: "Routine", legend_unanswered: "Unanswered",
    elder_profile: "Elder", history: "History",
    login_title: "Operator sign-in", login_token: "Access token (Bearer)",
    login_hint: "The token is kept in this tab only (sessionStorage) and cleared when it closes. For development: linli token --role operator.",
    login_submit: "Open the board", login_failed: "The token is invalid or expired",
    connection_live: "Live", connection_connecting: "Connecting…", connection_lost: "Disconnected, retrying…",
    waiting: "Waiting", ack_due: "Answer by", accept_due: "Accept by", eta: "ETA", overdue: "overdue",
    elder: "Elder", location: "Location", channel: "Channel", device: "Device", raised_at: "Raised", raised_by: "Raised by",
    acknowledged: "Answered", assignee: "Assignee", accepted: "accepted", not_accepted: "not yet accepted", escalation: "Escalated",
    description: "Request", visit: "On site", disposition: "Disposition", cancel_reason: "Cancelled", feedback: "Rating",
    floor: "F", priority: "Priority",
    act_acknowledge: "Answer", act_escalate: "Escalate", act_cancel: "Cancel call", act_close: "Close", act_assign: "Assign",
    act_override: "Assign anyway", reason: "Reason", note: "Note", candidates: "Suggested", no_candidates: "Nobody suitable on shift",
    override_pick: "— someone else —", override_reason: "Why (required when not suggested)",
    escalate_reason: "Why escalate", cancel_reason_input: "Why (e.g. false alarm)", close_note: "Closing note",
    done: "Done", failed: "Failed",
    elder_missing: "No elder profile on file", elder_unavailable: "Elder profile unavailable", elder_loading: "Loading…",
    phone: "Phone", mobility: "Mobility", address: "Address", contacts: "Contacts", holds_key: "holds a key", conditions: "Conditions",
    allergies: "Allergies", medications: "Medications", withheld: "not shared",
    plan_positions: "from positions", plan_layout: "by building number",
    north: "N", zone_east: "East", zone_west: "West", no_location: "unknown location",
    off_shift: "off shift",
    upcoming: "Upcoming visits", upcoming_order: "by booked time; they join the queue when due",
    upcoming_empty: "No visits booked", scheduled_for: "Booked for",
    position: "Position", position_none: "none (location not shared)", metres: "m",
    call_ringing: "Voice call", call_ringing_video: "Video call", call_ringing_short: "calling",
    unreached_short: "family not reached", unreached_detail: "No push or SMS reached anyone ({people} people, {tried} tries): phone the family.", call_answer: "Answer",
    call_connecting: "Connecting…", call_talking: "On the call", call_hang_up: "Hang up", call_mute: "Mute", call_unmute: "Unmute",
    call_back: "Call the terminal", call_taken_by: "Answered by", call_level: "Elder's level", call_elder_muted: "The elder muted",
    call_recording_on: "The elder consented: this call may be recorded", call_recording_off: "Not recorded (no consent to recording)",
    call_no_microphone: "No microphone: the elder cannot hear you",
    call_failed_media_failed: "The call could not connect (network).", call_failed_dropped: "The call dropped.",
    call_failed_terminal_offline: "The terminal went offline; the call ended.", call_phone_back: "Phone back:",
    call_ended_hung_up: "Hung up", call_ended_by_elder: "The elder hung up", call_ended_dropped: "The call dropped",
    call_ended_media_failed: "The call did not connect",
    call_dir_from_terminal: "Elder called", call_dir_to_terminal: "Called back", call_end_hung_up: "hung up",
    call_end_dropped: "dropped", call_end_unanswered: "unanswered", call_end_terminal_offline: "terminal offline",
    call_end_media_failed: "did not connect",
  },
};

const KINDS = {
  zh: { meal: "助餐", shopping: "助购", bathing: "助浴", cleaning: "助洁", medical: "助医", emergency: "助急", recreation: "助乐", mobility: "助行" },
  en: { meal: "Meal", shopping: "Shopping", bathing: "Bathing", cleaning: "Cleaning", medical: "Medical", emergency: "Emergency", recreation: "Recreation", mobility: "Mobility" },
};
const STATUSES = {
  zh: { raised: "待应答", acknowledged: "已应答", assigned: "已派单", en_route: "在途", on_site: "服务中", completed: "已完成", closed: "已结案", cancelled: "已取消" },
  en: { raised: "Raised", acknowledged: "Answered", assigned: "Assigned", en_route: "En route", on_site: "On site", completed: "Completed", closed: "Closed", cancelled: "Cancelled" },
};
const DISPOSITIONS = {
  zh: { resolved: "已解决", referred_to_clinic: "转介卫生服务站", handed_to_emergency_services: "移交120急救", no_access: "无法入户", false_alarm: "误报" },
  en: { resolved: "Resolved", referred_to_clinic: "Referred to the clinic", handed_to_emergency_services: "Handed to emergency services", no_access: "No access", false_alarm: "False alarm" },
};
const CHANNELS = {
  zh: { device: "呼叫器", app: "手机应用", phone: "电话" },
  en: { device: "Call device", app: "App", phone: "Phone" },
};
// Where a call's position came from (position_source).
const POSITION_SOURCES = {
  zh: { home_address: "登记住址", device: "呼叫器（登记住址）", phone_gps: "手机定位" },
  en: { home_address: "Registered home", device: "Call device (registered home)", phone_gps: "Phone GPS" },
};
const RUNGS = {
  zh: { supervisor: "值班主管", family_contact: "家属", emergency_services: "120急救" },
  en: { supervisor: "Supervisor", family_contact: "Family", emergency_services: "Emergency services" },
};
const MOBILITY = {
  zh: { independent: "可自理", uses_aid: "借助拐杖/助行器", wheelchair: "轮椅", bedridden: "卧床" },
  en: { independent: "Independent", uses_aid: "Uses a walking aid", wheelchair: "Wheelchair", bedridden: "Bedridden" },
};

let current = "zh";

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : "zh";
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
}

export const language = () => current;
export const t = (key) => WORDS[current][key] ?? key;
export const kindName = (kind) => KINDS[current][kind] ?? kind;
export const statusName = (status) => STATUSES[current][status] ?? status;
export const dispositionName = (d) => DISPOSITIONS[current][d] ?? d;
export const channelName = (c) => CHANNELS[current][c] ?? c;
export const rungName = (r) => RUNGS[current][r] ?? r;
export const positionSourceName = (s) => POSITION_SOURCES[current][s] ?? s;
export const mobilityName = (m) => MOBILITY[current][m] ?? m;
export const DISPOSITION_KEYS = Object.keys(DISPOSITIONS.zh);

// Dispatch explains its choices in English phrases (services/eldercare/domain/staff.py); shown in
// Chinese by pattern, and as they are when a pattern is new.
export function candidateReason(reason) {
  if (current !== "zh") return reason;
  let m;
  if ((m = /^on shift with the (\w+) skill$/.exec(reason))) return `在岗，具备${kindName(m[1])}技能`;
  if ((m = /^(\d+) m away$/.exec(reason))) return `距离 ${m[1]} 米`;
  if (reason === "position unknown") return "位置未知";
  if (reason === "no open jobs") return "当前无任务";
  if ((m = /^(\d+) open jobs?$/.exec(reason))) return `手头 ${m[1]} 单`;
  return reason;
}
