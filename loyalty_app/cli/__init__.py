"""The `loyalty` command line: the same services as the desktop app, for scripts, cron and POS glue."""
