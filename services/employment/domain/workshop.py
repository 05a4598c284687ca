"""The community workshop (微型社区工厂): handicraft piece-work for residents out of work and retired ones,
at home or in the workshop. Pure: no I/O.

A counsellor takes an order (a client wants so many pieces of a product at a rate per piece) and records
the pieces each worker hands in, with how many failed the quality check. Only accepted pieces are paid,
and never more than the order asked for. Completing the order computes each worker's payout (accepted
pieces × the rate, in fen); each payout is then marked paid when the money is handed over.

    open → completed
"""
from dataclasses import dataclass, replace
from datetime import datetime

from linli.kit.errors import FailedPrecondition, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.domain.common import (
    ID_RULE, MAX_NAME, check_counsellor, hidden, is_counsellor_for, local_day, parse_day, valid_id)

OPEN, COMPLETED = "open", "completed"
MAX_RATE_FEN = 100_000  # 1,000 yuan a piece
MAX_QUANTITY = 1_000_000
MAX_PIECES_AT_ONCE = 10_000

WORKSHOP_ORDER_COMPLETED = "workshop_order.completed"


@dataclass(frozen=True)
class NewOrder:
    id: str
    community_id: str
    product: str  # 手工编织杯垫
    client: str
    piece_rate_fen: int
    quantity: int
    due_on: str


@dataclass(frozen=True)
class Payout:
    worker_id: str
    worker_name: str
    pieces: int  # accepted
    amount_fen: int
    paid_at: datetime | None = None
    paid_by: str = ""


@dataclass(frozen=True)
class Order:
    id: str
    community_id: str
    product: str
    client: str
    piece_rate_fen: int
    quantity: int
    due_on: str
    created_by: str
    created_at: datetime
    status: str = OPEN
    accepted: int = 0  # pieces accepted so far, from every worker
    payouts: tuple[Payout, ...] = ()
    completed_at: datetime | None = None
    version: int = 1


@dataclass(frozen=True)
class NewPieces:
    worker_id: str
    worker_name: str
    day: str
    made: int
    rejected: int = 0


@dataclass(frozen=True)
class PieceRecord:
    id: str
    order_id: str
    community_id: str
    worker_id: str
    worker_name: str
    day: str
    made: int
    rejected: int
    recorded_by: str
    recorded_at: datetime

    @property
    def accepted(self) -> int:
        return self.made - self.rejected


def check_visible(caller: Caller, order: Order | None, order_id: str) -> Order:
    """The whole order: its counsellors' (who take it, record its pieces, complete and pay it)."""
    if order is None or not is_counsellor_for(caller, order.community_id):
        raise hidden("workshop order", order_id)
    return order


def is_worker(caller: Caller, order: Order, worked_on: bool) -> bool:
    """The caller handed in pieces for this order (worked_on: the store found a record of theirs on it)."""
    return worked_on and caller.serves(order.community_id)


def check_readable(caller: Caller, order: Order | None, order_id: str, worked_on: bool) -> Order:
    """The order as the caller may read it: whole for its counsellors; for a resident who worked on it,
    with their own payout only (what each neighbour earned is theirs); nobody else sees it."""
    if order is not None and is_counsellor_for(caller, order.community_id):
        return order
    if order is None or not is_worker(caller, order, worked_on):
        raise hidden("workshop order", order_id)
    return for_worker(order, caller.subject)


def for_worker(order: Order, worker_id: str) -> Order:
    return replace(order, payouts=tuple(p for p in order.payouts if p.worker_id == worker_id))


def readable_records(caller: Caller, order: Order, records: list[PieceRecord]) -> list[PieceRecord]:
    """The piece records the caller may read: all for a counsellor, a worker's own otherwise."""
    if is_counsellor_for(caller, order.community_id):
        return records
    return [record for record in records if record.worker_id == caller.subject]


def check_may_list(caller: Caller, community_id: str) -> bool:
    """Whether listing a community's orders shows all of them (its counsellors) or only those the caller
    worked on (its residents); anyone else is refused."""
    if is_counsellor_for(caller, community_id):
        return True
    if caller.has_role("resident") and caller.serves(community_id):
        return False
    raise PermissionDenied("a community's workshop orders are its counsellors'; residents see the orders they "
                           "worked on")


def take_order(caller: Caller, new: NewOrder, now: datetime) -> Order:
    problems = {}
    if not valid_id(new.id):
        problems["id"] = ID_RULE
    if not valid_id(new.community_id):
        problems["community_id"] = ID_RULE
    if not 1 <= len(new.product.strip()) <= MAX_NAME:
        problems["product"] = f"required, at most {MAX_NAME} characters"
    if not 1 <= len(new.client.strip()) <= MAX_NAME:
        problems["client"] = f"required, at most {MAX_NAME} characters"
    if not 1 <= new.piece_rate_fen <= MAX_RATE_FEN:
        problems["piece_rate_fen"] = f"fen per accepted piece, 1 to {MAX_RATE_FEN}"
    if not 1 <= new.quantity <= MAX_QUANTITY:
        problems["quantity"] = f"1 to {MAX_QUANTITY} pieces"
    if parse_day(new.due_on) is None:
        problems["due_on"] = "a day as YYYY-MM-DD"
    check_fields(problems, "invalid workshop order")
    check_counsellor(caller, new.community_id, "take workshop orders")
    return Order(new.id, new.community_id, new.product.strip(), new.client.strip(), new.piece_rate_fen,
                 new.quantity, new.due_on, caller.subject, now)


def record_pieces(caller: Caller, order: Order, new: NewPieces, record_id: str,
                  now: datetime) -> tuple[Order, PieceRecord]:
    """Pieces a worker handed in; the order counts the accepted ones, up to its quantity."""
    check_counsellor(caller, order.community_id, "record piece-work")
    problems = {}
    if not valid_id(new.worker_id):
        problems["worker_id"] = ID_RULE
    if not 1 <= len(new.worker_name.strip()) <= MAX_NAME:
        problems["worker_name"] = f"required, at most {MAX_NAME} characters"
    day = parse_day(new.day)
    if day is None:
        problems["day"] = "a day as YYYY-MM-DD"
    elif day > local_day(now):
        problems["day"] = "not in the future"
    if not 1 <= new.made <= MAX_PIECES_AT_ONCE:
        problems["made"] = f"1 to {MAX_PIECES_AT_ONCE} pieces"
    elif not 0 <= new.rejected <= new.made:
        problems["rejected"] = "0 to the pieces made"
    check_fields(problems, "invalid piece-work record")
    if order.status != OPEN:
        raise FailedPrecondition(f"workshop order {order.id} is {order.status}: no more pieces are taken")
    accepted = new.made - new.rejected
    if order.accepted + accepted > order.quantity:
        raise FailedPrecondition(f"workshop order {order.id} wants {order.quantity - order.accepted} more pieces only")
    record = PieceRecord(record_id, order.id, order.community_id, new.worker_id, new.worker_name.strip(), new.day,
                         new.made, new.rejected, caller.subject, now)
    return replace(order, accepted=order.accepted + accepted, version=order.version + 1), record


def payouts(order: Order, records: list[PieceRecord]) -> tuple[Payout, ...]:
    """What each worker earned on this order: accepted pieces × the rate, by worker id. A worker whose
    every piece was rejected earns nothing and gets no payout line."""
    pieces: dict[str, int] = {}
    names: dict[str, str] = {}
    for record in records:
        if record.order_id != order.id:
            continue
        pieces[record.worker_id] = pieces.get(record.worker_id, 0) + record.accepted
        names[record.worker_id] = record.worker_name
    return tuple(Payout(worker, names[worker], count, count * order.piece_rate_fen)
                 for worker, count in sorted(pieces.items()) if count > 0)


def complete(caller: Caller, order: Order, records: list[PieceRecord], now: datetime) -> Order:
    check_counsellor(caller, order.community_id, "complete workshop orders")
    if order.status != OPEN:
        raise FailedPrecondition(f"workshop order {order.id} is {order.status} already")
    return replace(order, status=COMPLETED, payouts=payouts(order, records), completed_at=now,
                   version=order.version + 1)


def mark_paid(caller: Caller, order: Order, worker_id: str, now: datetime) -> Order:
    check_counsellor(caller, order.community_id, "pay workshop payouts")
    if order.status != COMPLETED:
        raise FailedPrecondition(f"workshop order {order.id} is {order.status}: payouts come with completion")
    found = [payout for payout in order.payouts if payout.worker_id == worker_id]
    if not found:
        raise NotFound(f"no payout for worker {worker_id} on workshop order {order.id}")
    if found[0].paid_at is not None:
        raise FailedPrecondition(f"the payout of worker {worker_id} was paid already")
    paid = tuple(replace(payout, paid_at=now, paid_by=caller.subject) if payout.worker_id == worker_id else payout
                 for payout in order.payouts)
    return replace(order, payouts=paid, version=order.version + 1)
