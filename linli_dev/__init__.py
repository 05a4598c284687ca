"""Linli's development tools: the `linli` command, the local stack, the demo and the simulators. They stand on
the kit, the services and the gateway; none of those imports them."""
