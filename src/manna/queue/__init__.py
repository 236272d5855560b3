"""The task queue (Huey: a SQLite file by default, Redis with MANNA_QUEUE_URL) and the
outbox every email goes through (docs/email.md, "The queue")."""
