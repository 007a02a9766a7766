"""PostgreSQL and TimescaleDB access: connections, migrations and queries."""
