"""The embedded demo: its stack of servers and processes, its data, its home folder."""
