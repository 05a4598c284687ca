"""How employment's records sit in MongoDB, shared by the store modules: dataclass ↔ document, versioned
replaces, and the per-community revision counter that lets matching indexes catch up incrementally."""
import dataclasses
import types
import typing
from functools import cache

import pymongo
from pymongo import ReturnDocument
from pymongo.client_session import ClientSession

from linli.kit.errors import AlreadyExists, Aborted
from linli.kit.mongo import is_duplicate_key

REVISIONS = "revisions"


def to_doc(record) -> dict:
    doc = dataclasses.asdict(record)
    doc["_id"] = doc.pop("id")
    return doc


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _value(hint, value):
    """value read from MongoDB as the type hint wants it: nested dataclasses, tuples of them, optionals."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value(inner[0], value)
    if origin is tuple:
        return tuple(_value(typing.get_args(hint)[0], item) for item in value)
    if dataclasses.is_dataclass(hint):
        return from_doc(hint, value)
    return value


def from_doc(cls, doc: dict):
    """The dataclass cls from its document; fields the document lacks keep their defaults (older records)."""
    hints = _hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        key = "_id" if field.name == "id" and "_id" in doc else field.name
        if key in doc:
            values[field.name] = _value(hints[field.name], doc[key])
    return cls(**values)


def insert(collection, record, session: ClientSession | None, kind: str, extra: dict | None = None) -> None:
    try:
        collection.insert_one({**to_doc(record), **(extra or {})}, session=session)
    except pymongo.errors.PyMongoError as error:
        if is_duplicate_key(error):
            raise AlreadyExists(f"{kind} {record.id} exists already") from None
        raise


def replace(collection, record, session: ClientSession | None, kind: str, extra: dict | None = None) -> None:
    """Save a changed record if nobody changed it since it was read (its version was one less)."""
    result = collection.replace_one({"_id": record.id, "version": record.version - 1},
                                    {**to_doc(record), **(extra or {})}, session=session)
    if result.matched_count != 1:
        raise Aborted(f"{kind} {record.id} was changed by someone else; read it again and retry")


# -- revisions -------------------------------------------------------------------------------------------
# Every change of a community's vacancies or seekers takes the next number of one counter document per
# community, inside its transaction, and stores it on the record. Concurrent changes of a community
# conflict on that document, so numbers are handed out in commit order: whoever has applied every record
# up to revision r can catch up by reading the records with a revision above r.

def ensure_counter(db, community_id: str) -> None:
    """Create the community's counter outside any transaction (an upsert inside concurrent transactions
    could race to insert it twice)."""
    try:
        db[REVISIONS].update_one({"_id": community_id}, {"$setOnInsert": {"value": 0}}, upsert=True)
    except pymongo.errors.PyMongoError as error:
        if not is_duplicate_key(error):
            raise


def next_revision(db, session: ClientSession, community_id: str) -> int:
    doc = db[REVISIONS].find_one_and_update({"_id": community_id}, {"$inc": {"value": 1}},
                                            return_document=ReturnDocument.AFTER, session=session)
    if doc is None:
        raise RuntimeError(f"no revision counter for community {community_id}: call ensure_counter first")
    return doc["value"]


def current_revision(db, community_id: str) -> int:
    doc = db[REVISIONS].find_one({"_id": community_id})
    return doc["value"] if doc else 0
