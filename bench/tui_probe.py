"""Start one app headless, note the moment its first frame is drawn, report time and peak memory.

``python bench/tui_probe.py hello`` runs a bare Textual hello-world;
``python bench/tui_probe.py clerk DB`` runs the clerk console on DB. Once the
first screen is composed and the app is idle (its first frame rendered) it
prints ``FRAME <seconds since the interpreter started> <peak RSS KiB> <CPU seconds>``
and exits. The parent also times the process from spawn to that line.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import sys  # noqa: E402


def peak_rss_kib() -> int:
    """This process's own peak resident memory (VmHWM). ru_maxrss would carry over the
    parent's peak across fork+exec on Linux, so two probes would look alike."""
    with open("/proc/self/status") as status:
        for text in status:
            if text.startswith("VmHWM:"):
                return int(text.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def hello_app():
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    return Hello()


def clerk_app(db: str):
    from near_tui.clerk import pause_collector

    pause_collector()  # as `near-tui clerk` does (near_tui/cli/clerk.py); the first frame resumes it
    from near_tui.clerk.app import build_app

    return build_app(db)


async def first_frame(pilot) -> None:
    await pilot.pause()  # the first screen is mounted, laid out and rendered
    elapsed = time.perf_counter() - START
    peak = peak_rss_kib()
    print(f"FRAME {elapsed:.4f} {peak} {time.process_time():.4f}", flush=True)
    pilot.app.exit()


if __name__ == "__main__":
    app = hello_app() if sys.argv[1] == "hello" else clerk_app(sys.argv[2])
    app.run(headless=True, auto_pilot=first_frame)
