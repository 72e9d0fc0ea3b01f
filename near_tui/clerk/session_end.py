"""Ending the session (ctrl+e: confirm, close, sign) and reopening it (ctrl+o, with a reason).

Both first fold in what other seats recorded (``read_log``), so the dialogs show the session as
it stands; the close itself runs in the dialog (``screens/close_session_dialog.py``), which
hands back what it wrote, shown here with the command that checks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import figures

if TYPE_CHECKING:
    from .screens.close_session_dialog import SessionClosed


class EndAndReopen:
    """The clerk app's end and reopening of the session (a mixin of ``ClerkApp``); uses its
    ``state``, ``session``, ``stopped``, ``key_path``, ``out_dir``, ``record`` and ``read_log``."""

    def action_end_session(self) -> None:
        """Confirm, then close the session and write its signed declaration (ctrl+e)."""
        self.read_log(then=lambda _read: self._ask_end_session(), absorbs="ctrl+e")

    def _ask_end_session(self) -> None:
        from ..declaration.out_dir import default_out_dir
        from .screens.close_session_dialog import CloseSessionDialog

        if self.stopped is not None:
            self.notify(self.stopped, title="Session not closed", severity="error", timeout=12)
            return
        summary = figures.close_summary(self.state)
        key_path, _exists = figures.default_key_path(self.key_path, summary.session_id)
        out_dir = self.out_dir or str(default_out_dir(summary.session_id))
        self.push_screen(CloseSessionDialog(summary, key_path, out_dir), self._session_closed)

    def action_reopen_session(self) -> None:
        """Reopen the closed session with a reason (ctrl+o): the reason, then "reopen" typed to confirm."""
        self.read_log(then=lambda _read: self._ask_reopen(), absorbs="ctrl+o")

    def _ask_reopen(self) -> None:
        from .screens.reopen_dialog import ReopenDialog

        if not self.state.closed:
            self.notify("The session is open: there is nothing to reopen.", severity="warning")
            return

        def reopened(reason: str) -> None:
            self.refresh_bindings()
            self.notify(f"Session reopened (event {self.state.last_seq}): {reason}. Its signed files no "
                        "longer cover the log: close it again (ctrl+e) to sign new ones.",
                        title="Session reopened", severity="warning", timeout=12)

        def reopen(reason: str | None) -> None:
            if reason:
                self.record(self.session.reopen_session, reason, closed_ok=True,
                            then=lambda ok: ok and reopened(reason))

        self.push_screen(ReopenDialog(self.state.definition.session.id), reopen)

    def _session_closed(self, closed: SessionClosed | None) -> None:
        if closed is None:
            return
        self.read_log(then=lambda _read: self._show_closed(closed))

    def _show_closed(self, closed: SessionClosed) -> None:
        self.refresh_bindings()  # ^e leaves the agenda's footer, ^o comes in
        from ..declaration.keys import public_key_path
        from .screens.dialogs import InfoDialog

        if not closed.fresh:
            verb = "was already closed; its signed files were already all there"
        elif closed.was_closed:
            verb = "was already closed; its missing files are written"
        else:
            verb = "is closed"
        files = ", ".join(p.name for p in closed.files)
        pub = public_key_path(closed.key_path)
        self.clear_notifications()  # older toasts would cover the folder and chain head
        # The session id, folders and file names are data: values, never markup.
        self.push_screen(InfoDialog(
            f"Session $session {verb}",
            ("Declaration, record and signatures written to" if closed.fresh else
             "Declaration, record and signatures, left as they were signed, in") + "\n[b]$folder[/]\n$files\n\n"
            f"Log: {closed.last_seq} events · chain head\n[b]$head[/]\n\n"
            "Check them: near-tui verify $folder --pub $pub --db $db",
            session=closed.session_id, folder=closed.folder, files=files, head=closed.head, pub=pub,
            db=self.session.log.db))
