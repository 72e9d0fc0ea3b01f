"""The session report: the contract JSON of ``near-tui report --json`` and its table."""

from __future__ import annotations

from typing import Any

from near_tui.core.state import SET_ASIDE, SessionState, Tally

from .verdict import item_verdict, left_untaken, rule_label

# The outcome column is never narrower than this: the usual outcomes stay on one line.
OUTCOME_MIN = "✘ NOT CARRIED"


# A roll call's figures in the report, from its tally: null for a vote the session closed without holding.
FIGURE_KEYS = ("participating", "quorum_required", "quorum_met", "yes", "no", "abstain", "not_voting",
               "uncalled", "cast", "required_yes")


def item_report(state: SessionState, item_id: str) -> dict[str, Any]:
    item = state.items[item_id]
    entry: dict[str, Any] = {
        "id": item_id,
        "title": item.item.title,
        "kind": item.item.kind,
        "article": item.item.article,
    }
    # The keys below that came later than the rest appear only when they say something, so that
    # a record signed before they existed still rebuilds byte for byte.
    if item.item.delegated_by is not None:
        entry["delegated_by"] = item.item.delegated_by  # Charter Art. 11.5: the GA decision behind it
    if item.added:
        entry["added"] = True  # an addendum, added during the session
    if item.item.kind == "decision":
        t: Tally = state.tally(item_id)
        # In this order, which signed records keep (verify rebuilds them byte for byte).
        entry.update({"rule": t.rule, "status": t.status, "quorum_base": t.quorum_base,
                      **{key: getattr(t, key) for key in FIGURE_KEYS},
                      "outcome": t.outcome, "decided": t.decided})
        if t.reading is not None:  # Subcommittee Regs Art. 5.8: which reading decided (docs/rules.md)
            entry["reading"] = t.reading
        if t.members_with_vote is not None:
            entry["members_with_vote"] = t.members_with_vote
        if item.item.admits:
            entry["admits"] = list(item.item.admits)
            entry["admitted"] = [m for m, by in state.admitted.items() if by == item_id]
        if item_id in state.draws:
            entry["call_order"] = {"order": item.order, "drawn_start": state.draws[item_id]}
        if item.status == "open":
            calling = state.now_calling(item_id)
            member = state.members[calling] if calling is not None else None
            # null while open: nobody is left to call.
            entry["calling"] = (None if member is None else
                                {"id": member.id, "name": member.name, "country": member.country})
    else:
        entry.update({
            "rule": None, "status": item.status,
            # A withdrawn or postponed item's outcome is that (as a set-aside roll call's tally says).
            "outcome": item.status if item.status in SET_ASIDE else (item.result or "pending"),
        })
        if item.item.kind == "election":
            entry["elected"] = list(item.elected)
            entry["elected_names"] = [state.members[m].name for m in item.elected]
    if item.status in SET_ASIDE:
        entry["reason"] = item.reason
    if left_untaken(state, item_id):
        # Still to come when the session closed: the minutes, the chair and the board say "not
        # taken up" and show no figures, and so does the report. A decision's figures would only be
        # its letters' preview of a vote that was never held: they are null, the keys kept.
        entry["outcome"] = "not_taken_up"
        if item.item.kind == "decision":
            entry.update(dict.fromkeys(FIGURE_KEYS))
    return entry



def live_item_report(state: SessionState, item_id: str) -> dict[str, Any]:
    """``item_report`` plus the item's verdict in words, for the report and the web board.

    Kept out of ``item_report``: the signed declaration record is built from it, and
    ``near-tui verify`` rebuilds earlier records with it, so its keys do not change.
    """
    v = item_verdict(state, item_id)
    entry = {**item_report(state, item_id),
             "verdict": {"code": v.code, "final": v.final, "words": v.words, "symbol": v.symbol,
                         "tone": v.tone, "reason": v.reason}}
    calling = entry.get("calling")
    if calling is not None and state.members[calling["id"]].native_name:
        # The name in the member's own script, beside the name (a key added, none renamed).
        entry["calling"] = {**calling, "native_name": state.members[calling["id"]].native_name}
    return entry


def build_report(state: SessionState) -> dict[str, Any]:
    assert state.definition is not None
    info = state.definition.session
    members = state.roster_members()
    return {
        "session": {"id": info.id, "title": info.title, "body": info.body, "venue": info.venue,
                    "opens": info.opens.isoformat(), "closed": state.closed},
        "members_total": len(members),
        "attendance": state.session_figures(),
        "items": [live_item_report(state, item_id) for item_id in state.item_order],
        "events": state.last_seq,
        "chain_head": state.head,
    }


# Below this many columns the table cannot show every figure and the whole outcome: the report
# is then printed as one block per item (``report_list``), so that nothing is cut.
NARROW_REPORT = 70
FIGURE_NAMES = ("Quorum", "Yes", "No", "Abs", "NV", "Unc", "Need")  # Unc: present members not called yet


def report_view(state: SessionState, report: dict[str, Any] | None = None, width: int = 80):
    """What ``near-tui report`` prints on a terminal ``width`` columns wide."""
    return report_table(state, report) if width >= NARROW_REPORT else report_list(state, report)


def _report_rows(state: SessionState, report: dict[str, Any]):
    """(title, rule, figures or None, outcome) of each item, as both layouts print them.

    The figures are the report's (``build_report``); the outcome words are the verdict's
    (``near_tui.views.verdict``), the same words the clerk and the chair show.
    """
    for item in report["items"]:
        found = item_verdict(state, item["id"])
        # An item the session closed without taking up has no figures, as on every other surface.
        if item["kind"] == "decision" and item["status"] not in SET_ASIDE and found.code != "not_taken_up":
            # Taking part / needed, as the chair's QUORUM caption and the clerk's bar give it ("✘": not met).
            quorum = f"{item['participating']}/{item['quorum_required']}" + ("" if item["quorum_met"] else "✘")
            figures = [quorum, str(item["yes"]), str(item["no"]), str(item["abstain"]),
                       str(item["not_voting"]), str(item["uncalled"]), str(item["required_yes"])]
            rule = rule_label(item["rule"], item.get("reading"))
        else:
            figures = None
            rule = rule_label(item["rule"]) if item["kind"] == "decision" else rule_label(None)
        outcome = found.label + (f": {found.reason}" if found.code == "elected" and found.reason else "")
        if item.get("reason"):
            outcome += f": {item['reason']}"  # why it was withdrawn or postponed
        kinds = ([] if item["kind"] == "decision" else [item["kind"]]) + (["addendum"] if item.get("added") else [])
        title = f"{item['id']}. {item['title']}" + (f" ({', '.join(kinds)})" if kinds else "")
        yield title, rule, figures, outcome


def _heading_and_caption(report: dict[str, Any]):
    from rich.text import Text

    a, session = report["attendance"], report["session"]
    return (Text(f"{session['title']} ({session['id']})", style="bold"),
            Text(f"{report['members_total']} members · in person {a['in_person']} · online {a['online']}"
                 f" · by letter {a['letter']} · absent {a['absent']}\nchain head {report['chain_head']}"))


def report_table(state: SessionState, report: dict[str, Any] | None = None):
    """The report as a rich Table (rich is imported here: ``report --json`` does not need it).

    Titles and names are data: every cell is a ``Text``, never a markup string, so "[/]" in a
    title is shown as written. At 80 columns the table fits, and an outcome wraps only between
    its words.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if report is None:
        report = build_report(state)
    title, caption = _heading_and_caption(report)
    table = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True,
                  expand=False)
    table.add_column("Item", ratio=1, overflow="fold", min_width=12)
    table.add_column("Rule", no_wrap=True)  # the threshold; "—" for the items not decided by a roll call
    for name in FIGURE_NAMES:
        table.add_column(name, justify="right", no_wrap=True)
    # Longer outcomes ("● NOT DECIDED YET", elected names) wrap between words, never inside one.
    table.add_column("Outcome", min_width=len(OUTCOME_MIN), overflow="fold")
    for item_title, rule, figures, outcome in _report_rows(state, report):
        table.add_row(Text(item_title), Text(rule), *map(Text, figures or [""] * len(FIGURE_NAMES)), Text(outcome))
    return table


def report_list(state: SessionState, report: dict[str, Any] | None = None):
    """The report for a narrow terminal: each item's title, then its outcome and figures, wrapped
    between words. The same rows as the table, every value as ``Text``."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    if report is None:
        report = build_report(state)
    title, caption = _heading_and_caption(report)
    parts = [title, Text("")]
    for item, (item_title, rule, figures, outcome) in zip(report["items"], _report_rows(state, report), strict=True):
        item_status = item["status"]
        parts.append(Text(item_title, style="bold"))
        lines = [outcome]
        if figures is not None:  # short lines (under 40 columns): a figure is never parted from its name
            quorum, yes, no, abstain, not_voting, uncalled, need = figures
            lines += [f"rule {rule} · quorum {quorum} · need {need}",
                      f"yes {yes} · no {no} · abs {abstain} · nv {not_voting}"]
            if item_status == "open":  # the members still to call, as the table's Unc column says
                lines.append(f"uncalled {uncalled}")
        parts += [Padding(Text(line), (0, 0, 0, 3)) for line in lines]
    parts += [Text(""), caption]
    return Group(*parts)
