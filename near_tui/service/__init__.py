"""The one write path: intents checked against the state and appended as events, and the
headless imports that go through it."""
