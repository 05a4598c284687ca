import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WorkshopOrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WORKSHOP_ORDER_STATUS_UNSPECIFIED: _ClassVar[WorkshopOrderStatus]
    WORKSHOP_ORDER_STATUS_OPEN: _ClassVar[WorkshopOrderStatus]
    WORKSHOP_ORDER_STATUS_COMPLETED: _ClassVar[WorkshopOrderStatus]
WORKSHOP_ORDER_STATUS_UNSPECIFIED: WorkshopOrderStatus
WORKSHOP_ORDER_STATUS_OPEN: WorkshopOrderStatus
WORKSHOP_ORDER_STATUS_COMPLETED: WorkshopOrderStatus

class Payout(_message.Message):
    __slots__ = ("worker_id", "worker_name", "pieces", "amount_fen", "paid_at", "paid_by")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    PIECES_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    PAID_BY_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    worker_name: str
    pieces: int
    amount_fen: int
    paid_at: _timestamp_pb2.Timestamp
    paid_by: str
    def __init__(self, worker_id: _Optional[str] = ..., worker_name: _Optional[str] = ..., pieces: _Optional[int] = ..., amount_fen: _Optional[int] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_by: _Optional[str] = ...) -> None: ...

class WorkshopOrder(_message.Message):
    __slots__ = ("id", "community_id", "product", "client", "piece_rate_fen", "quantity", "due_on", "created_by", "created_at", "status", "accepted", "payouts", "completed_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    PIECE_RATE_FEN_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    PAYOUTS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    product: str
    client: str
    piece_rate_fen: int
    quantity: int
    due_on: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    status: WorkshopOrderStatus
    accepted: int
    payouts: _containers.RepeatedCompositeFieldContainer[Payout]
    completed_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., product: _Optional[str] = ..., client: _Optional[str] = ..., piece_rate_fen: _Optional[int] = ..., quantity: _Optional[int] = ..., due_on: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[WorkshopOrderStatus, str]] = ..., accepted: _Optional[int] = ..., payouts: _Optional[_Iterable[_Union[Payout, _Mapping]]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class PieceRecord(_message.Message):
    __slots__ = ("id", "order_id", "community_id", "worker_id", "worker_name", "day", "made", "rejected", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MADE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    order_id: str
    community_id: str
    worker_id: str
    worker_name: str
    day: str
    made: int
    rejected: int
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., order_id: _Optional[str] = ..., community_id: _Optional[str] = ..., worker_id: _Optional[str] = ..., worker_name: _Optional[str] = ..., day: _Optional[str] = ..., made: _Optional[int] = ..., rejected: _Optional[int] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TakeWorkshopOrderRequest(_message.Message):
    __slots__ = ("id", "community_id", "product", "client", "piece_rate_fen", "quantity", "due_on")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    PIECE_RATE_FEN_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    id: str
    community_id: str
    product: str
    client: str
    piece_rate_fen: int
    quantity: int
    due_on: str
    def __init__(self, id: _Optional[str] = ..., community_id: _Optional[str] = ..., product: _Optional[str] = ..., client: _Optional[str] = ..., piece_rate_fen: _Optional[int] = ..., quantity: _Optional[int] = ..., due_on: _Optional[str] = ...) -> None: ...

class TakeWorkshopOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: WorkshopOrder
    def __init__(self, order: _Optional[_Union[WorkshopOrder, _Mapping]] = ...) -> None: ...

class GetWorkshopOrderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetWorkshopOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: WorkshopOrder
    def __init__(self, order: _Optional[_Union[WorkshopOrder, _Mapping]] = ...) -> None: ...

class ListWorkshopOrdersRequest(_message.Message):
    __slots__ = ("community_id", "page_size", "page_token")
    COMMUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    community_id: str
    page_size: int
    page_token: str
    def __init__(self, community_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListWorkshopOrdersResponse(_message.Message):
    __slots__ = ("orders", "next_page_token")
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[WorkshopOrder]
    next_page_token: str
    def __init__(self, orders: _Optional[_Iterable[_Union[WorkshopOrder, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RecordPiecesRequest(_message.Message):
    __slots__ = ("order_id", "worker_id", "worker_name", "day", "made", "rejected")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MADE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    worker_id: str
    worker_name: str
    day: str
    made: int
    rejected: int
    def __init__(self, order_id: _Optional[str] = ..., worker_id: _Optional[str] = ..., worker_name: _Optional[str] = ..., day: _Optional[str] = ..., made: _Optional[int] = ..., rejected: _Optional[int] = ...) -> None: ...

class RecordPiecesResponse(_message.Message):
    __slots__ = ("order", "record")
    ORDER_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    order: WorkshopOrder
    record: PieceRecord
    def __init__(self, order: _Optional[_Union[WorkshopOrder, _Mapping]] = ..., record: _Optional[_Union[PieceRecord, _Mapping]] = ...) -> None: ...

class ListPieceRecordsRequest(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class ListPieceRecordsResponse(_message.Message):
    __slots__ = ("records",)
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[PieceRecord]
    def __init__(self, records: _Optional[_Iterable[_Union[PieceRecord, _Mapping]]] = ...) -> None: ...

class CompleteWorkshopOrderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CompleteWorkshopOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: WorkshopOrder
    def __init__(self, order: _Optional[_Union[WorkshopOrder, _Mapping]] = ...) -> None: ...

class MarkPayoutPaidRequest(_message.Message):
    __slots__ = ("order_id", "worker_id")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    worker_id: str
    def __init__(self, order_id: _Optional[str] = ..., worker_id: _Optional[str] = ...) -> None: ...

class MarkPayoutPaidResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: WorkshopOrder
    def __init__(self, order: _Optional[_Union[WorkshopOrder, _Mapping]] = ...) -> None: ...
