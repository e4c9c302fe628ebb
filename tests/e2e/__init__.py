"""End-to-end tests: a real mosquitto broker, board simulators and firmware."""
