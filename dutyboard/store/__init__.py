"""The store: peewee models on SQLite or PostgreSQL, numbered migrations, and the connection.

`dutyboard.store.db` opens, migrates and writes; `dutyboard.store.models` holds the tables.
"""
