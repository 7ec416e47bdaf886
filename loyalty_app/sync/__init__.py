"""Local-first sync between stores: append-only change records exchanged as sealed files in a shared folder."""
