"""The daily update: subscriptions, building and sending the update, and its archive."""
