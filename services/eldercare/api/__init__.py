"""The eldercare gRPC api: one grpcio server hosting every eldercare gRPC service."""
