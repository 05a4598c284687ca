"""VolunteerService: registering volunteers and keeping their details. Decode, apply the domain's rules,
save through the store, encode."""
from linli.kit import pagination
from linli.kit.errors import PermissionDenied
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from services.volunteer import messages
from services.volunteer.domain import volunteers
from services.volunteer.store.volunteers import VolunteerStore


class VolunteerApi(pb_grpc.VolunteerServiceServicer):
    def __init__(self, store: VolunteerStore, clock=utcnow):
        self.store = store
        self.clock = clock

    def _visible(self, volunteer_id: str) -> volunteers.Volunteer:
        found = self.store.get(volunteer_id) if volunteers.ID_PATTERN.match(volunteer_id) else None
        return volunteers.check_visible(current_caller(), found, volunteer_id)

    def RegisterVolunteer(self, request, context):
        registered = volunteers.register(current_caller(), messages.volunteer(request.volunteer), self.clock())
        return pb.RegisterVolunteerResponse(volunteer=messages.volunteer_message(self.store.add(registered)))

    def GetVolunteer(self, request, context):
        return pb.GetVolunteerResponse(volunteer=messages.volunteer_message(self._visible(request.id)))

    def ListVolunteers(self, request, context):
        if not volunteers.coordinates(current_caller(), request.community_id):
            raise PermissionDenied(f"only coordinators serving community {request.community_id} may list its volunteers")
        size = pagination.page_size(request.page_size)
        after = pagination.position(request.page_token, 1)
        page = self.store.in_community(request.community_id, after[0] if after else None, size + 1)
        return pb.ListVolunteersResponse(volunteers=[messages.volunteer_message(v) for v in page[:size]],
                                         next_page_token=pagination.next_token(page, size, lambda v: [v.id]))

    def UpdateVolunteer(self, request, context):
        current = self._visible(request.volunteer.id)
        updated = volunteers.update(current_caller(), current, messages.volunteer(request.volunteer),
                                    frozenset(request.update_mask.paths))
        return pb.UpdateVolunteerResponse(volunteer=messages.volunteer_message(self.store.update(updated)))
