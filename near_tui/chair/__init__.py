"""The chair's projector view: a read-only follower of the session log."""
