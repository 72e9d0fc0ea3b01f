"""Keypress → painted: the clerk's roll call beside two bare Textual apps, under one harness.

Three apps (and the test pilot's own floor) are driven the same way, in batches
interleaved with one another so that machine load affects them alike:

- ``floor``: a bare app whose one ``Static`` is updated on a key;
- ``table``: a bare app whose 79-row ``DataTable`` updates one cell (``update_cell``)
  and moves its cursor down on a key;
- ``clerk``: ``near_tui.clerk.app.build_app(db)`` on an open roll call of 79 present
  members, pressing y / n alternately. Every batch runs on a freshly opened roll call
  and is shorter than the roster, so every key is a member's first answer; the
  batch fails loudly unless each key recorded one event and called one more member;
- ``unbound``: a key bound to nothing, pressed on the bare ``Static`` app: what the
  pilot itself costs.

What "painted" means, the same for every app:

1. ``press``: the time ``await pilot.press(key)`` takes. The pilot returns once the app
   has handled the key, processed every message the key caused and gone idle (two
   ``wait_for_idle`` windows of 20 ms each at least), by which time the frame with the
   change has been composited. That is how the first measurements were taken.
2. ``frame``: the time from the key until the last frame handed to the terminal while the
   pilot waited. ``App._display`` is wrapped: each frame Textual composites is also
   serialised to terminal bytes (``render_segments``, what a real terminal driver writes;
   the headless driver would drop the frame before that step) and its moment noted.
   Finer than ``press`` (no 20 ms idle windows), and what the clerk sees.

After every press the harness checks that at least one frame was painted and that the
screen has nothing left to repaint; keys that fail either check are counted and printed.
It also notes the process CPU time each press took (the pilot's own included): on a loaded
machine the wall-clock figures of the apps that work stretch while the floor's hardly do,
but CPU time per key stays about the same. And it counts the keys during which Python ran a
full (generation-2) garbage collection: with 200 samples the p95 is the 10th slowest key,
so when such keys reach 5 % of an app's keys they set its p95.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import synthetic

from near_tui.service.session import Session

SIZE = (120, 40)  # the terminal every app is driven in
ROSTER = 79  # NEAR's members; the roll call and the reference table both have this many rows


# ---------------------------------------------------------------------------------- the bare apps
def floor_app():
    """The floor: one Static updated on y / n (and nothing bound to z)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Static

    class StaticFloor(App):
        BINDINGS = [Binding("y", "answer('yes')"), Binding("n", "answer('no')")]

        def __init__(self) -> None:
            super().__init__()
            self.keys = 0

        def compose(self) -> ComposeResult:
            yield Static("no answer yet", id="answer")

        def action_answer(self, vote: str) -> None:
            self.keys += 1
            self.query_one(Static).update(f"answer {self.keys}: {vote.upper()}")

    return StaticFloor()


def table_app():
    """The reference: a 79-row DataTable, one ``update_cell`` and one cursor move per key."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import DataTable

    class TableReference(App):
        BINDINGS = [Binding("y", "answer('yes')"), Binding("n", "answer('no')")]

        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for label, key in (("#", "n"), ("Member", "name"), ("Ctry", "country"), ("Answer", "answer"),
                               ("Note", "note")):
                table.add_column(label, key=key)
            for n in range(1, ROSTER + 1):
                table.add_row(str(n), f"Region {n:05d}", synthetic.COUNTRIES[n % 6], "·", "to call",
                              key=synthetic.member_id(n))

        def action_answer(self, vote: str) -> None:
            table = self.query_one(DataTable)
            row = table.cursor_row
            table.update_cell(synthetic.member_id(row + 1), "answer", vote.upper())
            table.move_cursor(row=row + 1, animate=False)

    return TableReference()


# ------------------------------------------------------------------------------- the clerk's side
class RollCalls:
    """One session of 79 present members whose decision items are opened one after another.

    ``next()`` closes the roll call the previous batch answered on and opens the next one,
    outside any timing: each batch starts on a roll call where nobody has been called.
    """

    def __init__(self, folder: Path, roll_calls: int, members: int = ROSTER) -> None:
        self.db = str(folder / f"rollcalls-{members}.sqlite")
        self.members = members
        self.items = roll_calls
        session = Session.create(synthetic.definition(members, roll_calls), self.db)
        session.record(synthetic.attendance_actions(members))
        session.close_log()
        self.item = 0

    def next(self) -> str:
        if self.item >= self.items:
            raise SystemExit(f"keypress bench: all {self.items} roll calls of the session are used")
        session = Session.open(self.db)
        if self.item:
            session.close_vote(str(self.item))
        self.item += 1
        session.open_vote(str(self.item))
        session.close_log()
        return self.db


def clerk_app(roll_calls: RollCalls):
    from near_tui.clerk.app import build_app

    return build_app(roll_calls.next())


def clerk_progress(app) -> tuple[int, int]:
    """(events on the log, present members not called yet on the open roll call)."""
    state = app.session.state
    return state.last_seq, state.tally(state.open_item).uncalled


# ------------------------------------------------------------------------------------ the harness
@dataclass
class Samples:
    press: list[float] = field(default_factory=list)  # seconds, key → pilot.press returned
    frame: list[float] = field(default_factory=list)  # seconds, key → last frame painted
    frames: list[int] = field(default_factory=list)  # frames painted per key
    cpu: list[float] = field(default_factory=list)  # seconds of process CPU time per key (load hardly changes it)
    full_gc: int = 0  # keys during which Python ran a full (generation 2) garbage collection
    unpainted: int = 0  # keys during which no frame was painted
    unsettled: int = 0  # keys after which the screen still had something to repaint


class FrameClock:
    """Wraps ``app._display``: each frame is serialised to terminal bytes, and timed."""

    def __init__(self, app) -> None:
        self.app = app
        self.painted: list[float] = []
        self._display = app._display
        app._display = self

    def __call__(self, screen, renderable) -> None:
        self._display(screen, renderable)
        if renderable is None or self.app._batch_count:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:  # a CompositorUpdate: the bytes a terminal driver would write
            render(self.app.console)
        self.painted.append(time.perf_counter())


def settled(app) -> bool:
    """The current screen has nothing left to lay out or repaint."""
    screen = app.screen
    return not (getattr(screen, "_dirty_widgets", None) or getattr(screen, "_layout_required", False)
                or getattr(screen, "_repaint_required", False) or getattr(screen, "_scroll_required", False))


async def batch(app, keys: tuple[str, ...], count: int, warm_up: int, samples: Samples,
                between: Callable[[], object] | None = None,
                progress: Callable[[object], tuple[int, int]] | None = None, expect_frames: bool = True) -> None:
    """Press ``warm_up + count`` keys (cycling through ``keys``) on a fresh ``app``; keep the last ``count``.

    ``between`` runs before every key, untimed (the bare insert of the keypress → commit → repaint figure).
    ``progress(app)`` -> (events, members uncalled): every key must record one event and call
    one more member, or the bench stops.
    """
    clock = FrameClock(app)
    full: list[int] = []

    def collected(phase: str, info: dict) -> None:
        if phase == "stop" and info.get("generation") == 2:
            full.append(1)

    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.pause()
        before = progress(app) if progress else None
        gc.callbacks.append(collected)
        try:
            for n in range(warm_up + count):
                if between is not None:
                    between()
                key = keys[n % len(keys)]
                clock.painted.clear()
                full.clear()
                cpu, start = time.process_time(), time.perf_counter()
                await pilot.press(key)
                if getattr(app, "writing", None) is not None:  # the clerk's write runs in a worker:
                    await app.writes_settled()  # the key is done once its answer is painted
                    await pilot.pause()
                done, cpu = time.perf_counter(), time.process_time() - cpu
                if n < warm_up:
                    continue
                samples.press.append(done - start)
                samples.cpu.append(cpu)
                samples.full_gc += bool(full)
                samples.frames.append(len(clock.painted))
                if clock.painted:
                    samples.frame.append(clock.painted[-1] - start)
                elif expect_frames:
                    samples.unpainted += 1
                if not settled(app):
                    samples.unsettled += 1
        finally:
            gc.callbacks.remove(collected)
        if progress:
            after = progress(app)
            pressed = warm_up + count
            recorded, called = after[0] - before[0], before[1] - after[1]
            if recorded != pressed or called != pressed:
                raise SystemExit(f"keypress bench: {pressed} keys recorded {recorded} events and called {called} "
                                 "members — the roll call screen did not vote on a new member at each key")


@dataclass
class Kind:
    name: str
    make: Callable[[], object]
    keys: tuple[str, ...]
    progress: Callable[[object], tuple[int, int]] | None = None
    expect_frames: bool = True
    samples: Samples = field(default_factory=Samples)


async def interleaved(kinds: list[Kind], batches: int, per_batch: int, warm_up: int = 1,
                      between: Callable[[], object] | None = None) -> None:
    """``batches`` rounds; each round runs one batch of every kind, the order rotated each round.

    Every batch starts a fresh app (and, for the clerk, a fresh roll call); its first
    ``warm_up`` keys are pressed but not kept (first-use costs of a new app instance, which
    the clerk pays once per session, not once per roll call). Garbage of the apps torn down
    is collected between batches, untimed, so that no app pays for another's.
    """
    for round_ in range(batches):
        for i in range(len(kinds)):
            kind = kinds[(i + round_) % len(kinds)]
            gc.collect()
            await batch(kind.make(), kind.keys, per_batch, warm_up, kind.samples, between=between,
                        progress=kind.progress, expect_frames=kind.expect_frames)
