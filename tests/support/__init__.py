"""What the tests share: paths, small agendas and a fixed clock, the command line, condition waits,
and readings of a running app. Import from here (``from support import GA12, near, wait_for``);
fixtures live in the conftest modules."""

from .agendas import FixedClock, member, small_session, write_agenda
from .apps import (
                   PRESS_AT_ONCE,
                   clerk_app,
                   events,
                   screen_text,
                   text_of,
                   toast_messages,
                   toasted,
                   toasts,
                   wait_for_screen,
)
from .cli import child_env, near, run_cli
from .paths import (
                   AGENDA_DIR,
                   BAD_INPUTS,
                   GA12,
                   GA12_ADDENDA_VOTES,
                   GA12_ATTENDANCE,
                   GA12_LETTERS,
                   GA12_RESULTS,
                   GA12_VOTES,
                   HERE,
                   ROOT,
)
from .waits import Calls, SteppedClock, wait_for, wait_for_value, wait_until

__all__ = ["PRESS_AT_ONCE", "AGENDA_DIR", "BAD_INPUTS", "GA12", "GA12_ADDENDA_VOTES", "GA12_ATTENDANCE", "GA12_LETTERS",
           "GA12_RESULTS", "GA12_VOTES", "HERE", "ROOT", "Calls", "FixedClock", "SteppedClock", "child_env", "clerk_app", "events",
           "member", "near", "run_cli", "screen_text", "small_session", "text_of", "toast_messages", "toasted", "toasts", "wait_for", "wait_for_value",
           "wait_for_screen",
           "wait_until", "write_agenda"]
