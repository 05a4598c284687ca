"""The words of a problem in the caller's language: English, or Simplified Chinese when Accept-Language
prefers it. Only `title` and `detail` change; `type` (what a client branches on), `status` and the field
names in `errors` never do.

Titles follow the problem's type. Details the gateway writes itself are translated here; a detail that
came from a service api (its own explanation of a refusal) is not known here, so in Chinese it becomes the
type's Chinese sentence followed by the api's words, so nothing the api said is lost.
"""
import re

ENGLISH, CHINESE = "en", "zh-CN"
LANGUAGES = (ENGLISH, CHINESE)

# type slug → (Chinese title, a Chinese sentence saying what the type means)
_ZH = {
    "validation-failed": ("请求无效", "请求中有无效的字段。"),
    "invalid-argument": ("参数无效", "服务拒绝了输入。"),
    "out-of-range": ("超出范围", "输入超出了允许的范围。"),
    "not-found": ("未找到", "没有这个资源，或您无权查看。"),
    "method-not-allowed": ("方法不允许", "此资源不支持该请求方法。"),
    "already-exists": ("已存在", "该资源已经存在。"),
    "failed-precondition": ("当前状态下不允许", "资源当前的状态不允许此操作。"),
    "aborted": ("并发修改，请重试", "资源同时被修改了，请重试。"),
    "forbidden": ("禁止访问", "您的角色不允许此操作。"),
    "unauthenticated": ("未认证", "需要持有者令牌（Bearer token）。"),
    "invalid-token": ("令牌无效", "持有者令牌无效。"),
    "too-many-requests": ("请求过多", "请求太频繁，请稍后再试。"),
    "upstream-timeout": ("服务超时", "某个服务未能及时响应。"),
    "unavailable": ("服务不可用", "服务暂时不可用，请稍后重试。"),
    "upstream-error": ("服务出错", "某个服务出错了。"),
    "internal-error": ("内部错误", "网关出错了。"),
    "overloaded": ("系统繁忙", "平台繁忙，求助呼叫仍可送达，请一秒后重试。"),
    "payload-too-large": ("请求体过大", "请求体太大。"),
    "idempotency-key-reused": ("幂等键被重复使用", "此 Idempotency-Key 已用于另一个不同的请求，请换一个新键。"),
    "idempotency-key-in-flight": ("请求处理中", "使用此 Idempotency-Key 的请求仍在处理中，请稍后重试。"),
    "http-error": ("HTTP 错误", "HTTP 错误。"),
}

# The gateway's own details: English (a regular expression when it carries a value) → Chinese.
_DETAILS = [
    (r"The request has invalid fields\.", "请求中有无效的字段。"),
    (r"A bearer token is required\.", "需要持有者令牌（Bearer token）。"),
    (r"The bearer token is not valid\.", "持有者令牌无效。"),
    (r"Cannot verify tokens right now\.", "暂时无法验证令牌。"),
    (r"Your role does not allow this\.", "您的角色不允许此操作。"),
    (r"Slow down: try again in (\d+) s\.", r"请放慢速度：\1 秒后再试。"),
    (r"The request body may be at most (\d+) bytes\.", r"请求体最多 \1 字节。"),
    (r"Something went wrong; reference (\w+)\.", r"出错了；参考编号 \1。"),
    (r"The platform is busy; calls for help still go through\. Try again in a second\.",
     "平台繁忙，求助呼叫仍可送达。请一秒后重试。"),
    (r"Cannot guarantee this request runs once right now; retry with the same key\.",
     "暂时无法保证此请求只执行一次，请用同一个键重试。"),
    (r"This Idempotency-Key was used with a different request; use a new key\.",
     "此 Idempotency-Key 已用于另一个不同的请求，请换一个新键。"),
    (r"A request with this Idempotency-Key is still being answered; retry shortly\.",
     "使用此 Idempotency-Key 的请求仍在处理中，请稍后重试。"),
    (r"Method Not Allowed", "此资源不支持该请求方法。"),
    (r"Not Found", "没有这个资源。"),
    (r"Allowed here: ([A-Z, ]+)\.", r"此处允许的方法：\1。"),
]
_DETAILS = [(re.compile(english + r"\Z"), chinese) for english, chinese in _DETAILS]
_RANGE = re.compile(r"\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*")


def negotiate(accept_language: str | None) -> str:
    """The language to answer in (RFC 9110 §12.5.4): the supported language the caller gives the highest
    q-value; English when it names none of ours (or the header is missing or malformed). Any `zh` range
    (zh, zh-CN, zh-Hans, ...) gets Simplified Chinese; `*` stands for English."""
    best, best_q = ENGLISH, 0.0
    for item in (accept_language or "").split(",")[:32]:
        match = _RANGE.fullmatch(item)
        if not match:
            continue
        tag, q = match.group(1).lower(), match.group(2)
        try:
            weight = float(q) if q is not None else 1.0
        except ValueError:
            continue
        language = CHINESE if tag == "zh" or tag.startswith("zh-") else ENGLISH if tag in ("*", "en") or \
            tag.startswith("en-") else None
        if language is not None and 0 < weight <= 1 and weight > best_q:
            best, best_q = language, weight
    return best


def title(slug: str, english: str, language: str) -> str:
    if language == CHINESE and slug in _ZH:
        return _ZH[slug][0]
    return english


def detail(slug: str, english: str | None, english_title: str, language: str) -> str:
    """The detail in the language; a problem without a detail of its own says what its type means."""
    if language != CHINESE:
        return english or english_title
    if english is None:
        return _ZH[slug][1] if slug in _ZH else english_title
    for pattern, chinese in _DETAILS:
        if pattern.match(english):
            return pattern.sub(chinese, english)
    sentence = _ZH.get(slug, ("", ""))[1]
    return f"{sentence}（{english}）" if sentence else english
