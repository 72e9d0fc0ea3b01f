"""/events served in process (aiohttp's test server): both HTTP versions, and viewers that leave."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import HttpVersion10, HttpVersion11
from aiohttp.test_utils import TestServer

from board.support import MEMBERS, Stream, item, scripts_session
from near_tui.board.feed import Feed
from near_tui.board.server import KEEP_ALIVE, make_app
from support import wait_for


@pytest.fixture
def session(tmp_path, db_path):
    s = scripts_session(tmp_path, db_path)
    s.open_vote("1")
    yield s
    s.close_log()


async def serve(db_path):
    feed = Feed(db_path, interval=0.02)
    server = TestServer(make_app(feed), host="127.0.0.1")
    await server.start_server()
    return feed, server


@pytest.mark.parametrize("version", [HttpVersion11, HttpVersion10], ids=["HTTP/1.1", "HTTP/1.0"])
async def test_a_viewer_on_either_http_version_gets_the_state_and_each_change(session, db_path, version):
    feed, server = await serve(db_path)
    try:
        async with aiohttp.ClientSession(version=version) as client:
            async with client.get(server.make_url("/events")) as response:
                assert ("chunked" in response.headers.get("Transfer-Encoding", "")) == (version == HttpVersion11)
                stream = Stream(response)
                first = await stream.next()
                assert [i["item_id"] for i in first["picture"]["agenda"]] == ["1", "2", "3"]
                session.record_vote("1", MEMBERS[0][0], "abstain")
                message = await stream.until(lambda m: m["chain_head"] == session.state.head)
                assert item(message, "1")["numbers"]["abstain"] == 1
    finally:
        await server.close()
        feed.close()


async def test_viewers_that_leave_are_let_go_at_the_next_write(session, db_path):
    feed, server = await serve(db_path)
    try:
        async with aiohttp.ClientSession() as client:
            responses = [await client.get(server.make_url("/events")) for _ in range(10)]
            for response in responses:
                await Stream(response).next()
            assert len(feed.viewers) == 10
            for response in responses[:7]:
                response.close()  # the tab closed
            # A closed tab is found when a message to it fails: keep sending until the seven are gone.
            await wait_for(lambda: feed.broadcast(KEEP_ALIVE) or len(feed.viewers) == 3, timeout=5,
                           what="the seven closed tabs dropped")
            for response in responses[7:]:
                response.close()
    finally:
        await server.close()
        feed.close()
