"""The chair calling a member with a native name, pinned at 80x24 and projector sizes
(review the SVGs under __snapshots__)."""

from __future__ import annotations

import pytest

from clerk.native import native_session
from near_tui.chair.app import build_app


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (240, 67)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_calling_a_member_with_a_native_name(snap_compare, tmp_path, size):
    db, session = native_session(tmp_path)
    session.open_vote("2")
    for member_id in ("cn-heilongjiang", "jp-aomori"):
        session.record_vote("2", member_id, "yes")
    session.close_log()  # Busan Metropolitan City 부산광역시 is called
    assert snap_compare(build_app(db, "light"), terminal_size=size)
