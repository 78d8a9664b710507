"""Notifications: the outbox (rows written in each event's transaction), the e-mail and
WhatsApp channels, the worker's delivery task, and the pages for a person's notifications,
their channels and the operator's failed deliveries."""
