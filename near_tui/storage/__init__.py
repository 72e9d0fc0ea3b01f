"""Where the record lives: the append-only event log (SQLite or PostgreSQL) and its mirror."""
