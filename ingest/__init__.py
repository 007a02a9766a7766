"""The MQTT collector: validate, batch, write, acknowledge."""
