"""The ways a notification leaves the platform: Web Push (webpush.py), mobile push vendors (mobile.py),
SMS (sms.py). Each sends one message and says how it went by raising DeliveryError or not."""


class DeliveryError(Exception):
    """A send that did not go through. permanent: trying again cannot help (a refused request, a provider
    that is not configured); gone: the subscription or token no longer exists (remove it)."""

    def __init__(self, message: str, permanent: bool = False, gone: bool = False):
        super().__init__(message)
        self.message = message[:500]
        self.permanent = permanent or gone
        self.gone = gone
