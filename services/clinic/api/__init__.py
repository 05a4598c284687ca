"""The clinic's gRPC apis: the internal api (python -m services.clinic.api) and the partner exchange."""
