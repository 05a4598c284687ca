"""Linli's HTTP gateway: versioned REST over the services' gRPC apis, JWT auth, problem+json errors,
and the live operator board (Server-Sent Events). Run with `python -m gateway`."""
