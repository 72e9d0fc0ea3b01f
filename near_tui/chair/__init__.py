"""The chair's projector view (issue 5): a read-only follower of the session log."""
