"""Files written for other tools: Mosquitto's passwords and ACLs, Grafana's dashboards."""
