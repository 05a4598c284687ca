"""NotifyService: each person's endpoints, inbox and preferences. Decode, apply the domain's rules, save
through the store, encode. Every call acts on the caller's own records."""
from datetime import datetime

from linli.kit import pagination
from linli.kit.errors import InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.notify.v1 import notify_pb2 as pb
from linli.notify.v1 import notify_pb2_grpc as pb_grpc
from services.notify import messages
from services.notify.domain import endpoints, people
from services.notify.store.notify import NotifyStore

MAX_PAGE = 100
DEFAULT_PAGE = 20


class NotifyApi(pb_grpc.NotifyServiceServicer):
    def __init__(self, store: NotifyStore, application_server_key: str, clock=utcnow):
        self.store = store
        self.application_server_key = application_server_key
        self.clock = clock

    def _person(self, elders=None) -> people.Person:
        """The caller as we know them, refreshed from their token (and the gateway's elder links)."""
        caller = current_caller()
        if not caller.roles:
            raise PermissionDenied("notifications are for people with a role on the platform")
        known = self.store.person(caller.subject)
        person = people.seen(known, caller, elders)
        if person != known:
            self.store.save_person(person)
        return person

    def RegisterEndpoint(self, request, context):
        person = self._person(messages.elder_links(request.elders))
        endpoint = endpoints.register(person.id, messages.endpoint(request.endpoint), self.clock())
        return pb.RegisterEndpointResponse(endpoint=messages.endpoint_message(self.store.save_endpoint(endpoint)))

    def RemoveEndpoint(self, request, context):
        person = self._person()
        if not self.store.remove_endpoint(request.id, person.id):
            raise NotFound(f"endpoint {request.id} is not one of yours")
        return pb.RemoveEndpointResponse()

    def ListMyEndpoints(self, request, context):
        person = self._person()
        return pb.ListMyEndpointsResponse(endpoints=[messages.endpoint_message(e) for e in self.store.endpoints_of(person.id)])

    def ListMyNotifications(self, request, context):
        person = self._person()
        if request.page_size and not 1 <= request.page_size <= MAX_PAGE:
            raise InvalidArgument(f"page_size must be between 1 and {MAX_PAGE}", {"page_size": f"between 1 and {MAX_PAGE}"})
        size = request.page_size or DEFAULT_PAGE
        after = pagination.position(request.page_token, 2)
        if after is not None:
            try:
                after = (datetime.fromisoformat(after[0]), str(after[1]))
            except (TypeError, ValueError):
                raise pagination.not_issued() from None
        page = self.store.page(person.id, after, size + 1, request.unread_only)
        return pb.ListMyNotificationsResponse(
            notifications=[messages.notification_message(n) for n in page[:size]],
            next_page_token=pagination.next_token(page, size, lambda n: [n.created_at.isoformat(), n.id]),
            unread_count=self.store.unread_count(person.id))

    def MarkNotification(self, request, context):
        person = self._person()
        note = self.store.notification(request.id) if request.id else None
        if note is None or note.user_id != person.id:
            raise NotFound(f"notification {request.id} is not one of yours")
        marked = self.store.mark(note, (note.read_at or self.clock()) if request.read else None)
        return pb.MarkNotificationResponse(notification=messages.notification_message(marked))

    def GetMyPreferences(self, request, context):
        return pb.GetMyPreferencesResponse(preferences=messages.preferences_message(self._person().preferences))

    def UpdateMyPreferences(self, request, context):
        person = self._person(messages.elder_links(request.elders) if request.elders else None)
        wanted = messages.preferences(request.preferences)
        paths = frozenset(request.update_mask.paths)
        if "on_duty" in (paths or people.PREFERENCE_PATHS) and wanted.on_duty and not person.has_supervisor_role():
            raise PermissionDenied("only operators and administrators go on duty as a supervisor")
        updated = people.update_preferences(person.preferences, wanted, paths, self.clock())
        self.store.save_person(people.Person(person.id, person.roles, person.communities, updated, person.elders))
        return pb.UpdateMyPreferencesResponse(preferences=messages.preferences_message(updated))

    def GetWebPushKey(self, request, context):
        return pb.GetWebPushKeyResponse(application_server_key=self.application_server_key)
