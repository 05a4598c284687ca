"""WorkshopService: the community workshop's piece-work orders, pieces and payouts. Decode the request,
apply the domain's rules, save through the store, encode the reply."""
from linli.employment.v1 import workshop_pb2 as pb
from linli.employment.v1 import workshop_pb2_grpc as pb_grpc
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from services.employment import events
from services.employment.api.common import new_id, page, page_request, required_id
from services.employment.domain import workshop
from services.employment.messages import to_message
from services.employment.store.workshop import WorkshopStore


def order_message(order: workshop.Order) -> pb.WorkshopOrder:
    return to_message(pb.WorkshopOrder, order)


class WorkshopApi(pb_grpc.WorkshopServiceServicer):
    def __init__(self, store: WorkshopStore, clock=utcnow):
        self.store = store
        self.clock = clock

    def _order(self, order_id: str) -> workshop.Order:
        order_id = required_id(order_id)
        return workshop.check_visible(current_caller(), self.store.get(order_id), order_id)

    def TakeWorkshopOrder(self, request, context):
        new = workshop.NewOrder(request.id, request.community_id, request.product, request.client,
                                request.piece_rate_fen, request.quantity, request.due_on)
        order = workshop.take_order(current_caller(), new, self.clock())
        self.store.add(order)
        return pb.TakeWorkshopOrderResponse(order=order_message(order))

    def _readable(self, order_id: str) -> workshop.Order:
        """The order as the caller may read it (a worker: their own payout only)."""
        caller, order_id = current_caller(), required_id(order_id)
        order = self.store.get(order_id)
        worked_on = order is not None and self.store.worked_on(order.id, caller.subject)
        return workshop.check_readable(caller, order, order_id, worked_on)

    def GetWorkshopOrder(self, request, context):
        return pb.GetWorkshopOrderResponse(order=order_message(self._readable(request.id)))

    def ListWorkshopOrders(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        if request.community_id and workshop.check_may_list(caller, request.community_id):
            found = self.store.list_orders(request.community_id, after, size + 1)
        else:  # the caller's own work: in that community, or (no community) wherever they worked
            found = [workshop.for_worker(o, caller.subject)
                     for o in self.store.orders_of_worker(caller.subject, request.community_id, after, size + 1)]
        shown, token = page(found, size)
        return pb.ListWorkshopOrdersResponse(orders=[order_message(o) for o in shown], next_page_token=token)

    def RecordPieces(self, request, context):
        order = self._order(request.order_id)
        new = workshop.NewPieces(request.worker_id, request.worker_name, request.day, request.made, request.rejected)
        changed, record = workshop.record_pieces(current_caller(), order, new, new_id(), self.clock())
        self.store.add_pieces(changed, record)
        return pb.RecordPiecesResponse(order=order_message(changed), record=to_message(pb.PieceRecord, record))

    def ListPieceRecords(self, request, context):
        order = self._readable(request.order_id)
        records = workshop.readable_records(current_caller(), order, self.store.records(order.id))
        return pb.ListPieceRecordsResponse(records=[to_message(pb.PieceRecord, r) for r in records])

    def CompleteWorkshopOrder(self, request, context):
        now = self.clock()
        order = self._order(request.id)
        completed = workshop.complete(current_caller(), order, self.store.records(order.id), now)
        self.store.update(completed, [events.workshop_order_completed(completed, now)])
        return pb.CompleteWorkshopOrderResponse(order=order_message(completed))

    def MarkPayoutPaid(self, request, context):
        order = self._order(request.order_id)
        paid = workshop.mark_paid(current_caller(), order, required_id(request.worker_id, "worker_id"), self.clock())
        self.store.update(paid)
        return pb.MarkPayoutPaidResponse(order=order_message(paid))
