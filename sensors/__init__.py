"""The device side: gateway agent with its durable spool, sensor sources, fleet simulator."""
