"""Nameko dependency providers shared by the workers."""
from nameko import config
from nameko.extensions import DependencyProvider

from linli.kit import consumer
from linli.kit.config import database_name, setting
from linli.kit.indexes import ensure_service_indexes
from linli.kit.mongo import connect, transaction


class ServiceDatabase:
    """What a worker method gets: its service's database, transactions and apply-once."""

    def __init__(self, client, db):
        self.client = client
        self.db = db

    def transaction(self, work):
        return transaction(self.client, work)

    def apply_once(self, consumer_name: str, envelope: dict, effect) -> bool:
        return consumer.apply_once(self.client, self.db, consumer_name, envelope, effect)


class Database(DependencyProvider):
    """The service's MongoDB database, its indexes (the store package's INDEXES) ensured at start. Config keys
    MONGO_URI and MONGO_DB override the environment."""

    def __init__(self, service: str, indexes=()):
        self.service = service
        self.indexes = list(indexes)

    def setup(self):
        self.client = connect(config.get("MONGO_URI") or setting("MONGO_URI"), f"{self.service}-worker")
        self.db = self.client[config.get("MONGO_DB") or database_name(self.service)]
        ensure_service_indexes(self.db, self.indexes)

    def stop(self):
        self.client.close()

    def get_dependency(self, worker_ctx):
        return ServiceDatabase(self.client, self.db)
