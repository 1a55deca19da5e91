"""The rules of the service plan: pure functions and plain data, no database, no Textual."""
