"""Mail screens: compose an announcement, watch the outbox, read the results."""
