"""Settings of the notify service that are not per person."""
from datetime import timedelta

from linli.kit.community import COMMUNITY_ZONE  # noqa: F401 (quiet hours and the times in messages)
from linli.kit.config import setting

SHIFT_REMINDER_CHECK_SECONDS = 10  # how often the worker looks for due shift reminders (they come hours ahead)


def shift_reminder_lead():
    """How long before a volunteer's shift they are reminded of it."""
    value = setting("NOTIFY_SHIFT_REMINDER_MINUTES")
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1
    if minutes <= 0:
        raise SystemExit(f"NOTIFY_SHIFT_REMINDER_MINUTES must be a positive number of minutes, got {value!r}")
    return timedelta(minutes=minutes)


def retry_delays() -> list[float]:
    value = setting("NOTIFY_RETRY_SECONDS")
    try:
        return [float(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise SystemExit(f"NOTIFY_RETRY_SECONDS must be comma-separated seconds, got {value!r}") from None


def channels():
    """The channels as the environment configures them."""
    from services.notify.channels.mobile import MobilePush
    from services.notify.channels.sms import AliyunSms
    from services.notify.channels.webpush import WebPushChannel, load_key
    from services.notify.delivery import Channels

    return Channels(
        WebPushChannel(load_key(setting("NOTIFY_VAPID_KEY_FILE")), setting("NOTIFY_VAPID_SUBJECT")),
        MobilePush([]),  # no vendor adapter in this release: a mobile token's deliveries dead-letter, saying so
        AliyunSms(setting("NOTIFY_SMS_ENDPOINT"), setting("NOTIFY_SMS_ACCESS_KEY_ID"),
                  setting("NOTIFY_SMS_ACCESS_KEY_SECRET"), setting("NOTIFY_SMS_SIGN_NAME"),
                  setting("NOTIFY_SMS_TEMPLATE_CODE")))
