"""Local PostgreSQL clusters and Mosquitto brokers started on demand, for the demo and the tests."""
