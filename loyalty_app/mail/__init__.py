"""Emails customers want: announcements and refill reminders with consent, caps, an outbox and results."""
