"""One module per resource or page family; ``api.main`` includes their routers."""
