"""Mobile push vendors (Huawei Push Kit, Xiaomi, Honor, APNs, ...): each app's device token belongs to
one vendor. A vendor adapter implements MobilePushProvider; the registry maps the vendor name a device
registered with to its adapter. A token of a vendor with no adapter configured is a permanent failure,
recorded on the delivery (dead letter), never dropped silently."""
from typing import Protocol

from services.notify.channels import DeliveryError


class MobilePushProvider(Protocol):
    name: str

    def send(self, token: str, title: str, body: str, data: dict, urgent: bool) -> None:
        """Hand the message to the vendor; raise DeliveryError (gone=True for an unregistered token)."""


class MobilePush:
    def __init__(self, providers: list[MobilePushProvider] = ()):
        self.providers = {provider.name: provider for provider in providers}

    def send(self, provider: str, token: str, title: str, body: str, data: dict, urgent: bool) -> None:
        adapter = self.providers.get(provider)
        if adapter is None:
            raise DeliveryError(f"no adapter configured for push vendor {provider!r}", permanent=True)
        adapter.send(token, title, body, data, urgent)
