"""The watcher: turns the reading-arrivals outbox into rollups, alarms and page summaries.

A production process beside the collectors and the web application; it imports only
``schemas`` and ``store``.
"""
