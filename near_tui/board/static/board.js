// The NEAR live board: follows /events and shows what it says.
//
// Every figure and every outcome word comes from the server's messages (the session report,
// built by near_tui's core): this script only places them on the page. It never adds,
// compares or decides anything. Text from the session (names, titles, reasons) is set with
// textContent, never parsed as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // Labels for codes of the report (words only; no figure depends on them).
  const RULE_WORDS = {
    two_thirds: "Carried by two-thirds (⅔) of the votes cast",
    majority: "Carried by more than half (>½) of the votes cast",
  };
  const KIND_WORDS = {
    decision: "Decision by roll call",
    election: "Election",
    consensus: "Decision by consensus",
    report: "Report",
    presentation: "Presentation",
  };
  // A member's name is marked with its country's language, so CJK characters take that
  // language's forms and screen readers read it in the right voice.
  const LANG = { CN: "zh-Hans", JP: "ja", KR: "ko", KP: "ko", MN: "mn", RU: "ru" };
  const TONES = ["good", "bad", "live", "warn", "plain", "muted"];
  const FIGURES = ["yes", "no", "abstain", "not_voting", "uncalled", "required_yes", "cast"];

  const board = {
    report: null,      // everything but the items, from the latest message
    order: [],         // item ids in agenda order
    items: new Map(),  // id -> item, in the report's item shape
    current: null,
    live: false,
    problem: null,
    connected: false,
    announced: "",
  };

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function show(el, visible) {
    el.hidden = !visible;
  }

  function setTone(el, tone) {
    for (const t of TONES) el.classList.remove("tone-" + t);
    el.classList.add("tone-" + (TONES.includes(tone) ? tone : "plain"));
  }

  function apply(message) {
    if (message.full) {
      board.order = message.items.map((item) => item.id);
      board.items = new Map();
    }
    for (const item of message.items) board.items.set(item.id, item);
    const { items, ...rest } = message;
    board.report = rest;
    board.current = message.current;
    board.live = message.live;
    board.problem = message.problem;
    render(message.full ? null : new Set(items.map((item) => item.id)));
  }

  // ---------------------------------------------------------------- drawing
  function render(changed) {
    const r = board.report;
    setText($("session-title"), r.session.title);
    setText($("session-venue"), r.session.venue + " · " + r.session.opens);
    document.title = r.session.title + " · live board";
    show($("closed"), r.session.closed === true);
    renderStatus();
    renderCurrent();
    renderAgenda();
    const a = r.attendance;
    setText($("attendance"),
      "Members " + r.members_total + " · in person " + a.in_person + " · online " + a.online +
      " · by written letter " + a.letter + " · absent " + a.absent);
    setText($("chain"), "Record event " + r.events + " · chain head " + String(r.chain_head).slice(0, 16) + "…");
    announce(changed);
  }

  function renderStatus() {
    const badge = $("live");
    const problem = $("problem");
    let why = null;
    if (!board.connected) why = "lost the connection to this board — reconnecting…";
    else if (!board.live) why = board.problem || "not following the session";
    if (why === null) {
      setText(badge, "● LIVE");
      setTone(badge, "good");
      show(problem, false);
    } else {
      setText(badge, "⚠ NOT LIVE");
      setTone(badge, "bad");
      setText(problem, "⚠ NOT LIVE — " + why);
      show(problem, true);
    }
    document.body.classList.toggle("stale", why !== null);
  }

  function renderCurrent() {
    const item = board.current === null ? null : board.items.get(board.current);
    const ids = ["item-rule", "verdict", "verdict-reason", "calling", "figures", "needs", "quorum"];
    if (!item) {
      setText($("item-kind"), "");
      setText($("item-title"), board.report.session.closed ? "The session is closed" : "No item under way");
      for (const id of ids) show($(id), false);
      return;
    }
    setText($("item-kind"), "Item " + item.id + " · " + (KIND_WORDS[item.kind] || item.kind));
    setText($("item-title"), item.title);
    const v = item.verdict;
    setText($("verdict-symbol"), v.symbol);
    setText($("verdict-words"), v.words);
    setTone($("verdict"), v.tone);
    show($("verdict"), true);
    setText($("verdict-reason"), v.reason);
    show($("verdict-reason"), v.reason !== "");

    const vote = item.kind === "decision";
    show($("item-rule"), vote);
    show($("figures"), vote && item.status !== "pending");
    show($("needs"), vote && item.status !== "pending");
    show($("quorum"), vote);
    if (vote) {
      const source = String(item.article).startsWith("sub-")
        ? "Subcommittee Regulations Art. " + item.article.slice(4) : "Charter Art. " + item.article;
      setText($("item-rule"), (RULE_WORDS[item.rule] || item.rule) + " · " + source);
      for (const name of FIGURES) setText($("f-" + name), String(item[name]));
      const q = $("quorum");
      setText(q, (item.quorum_met ? "QUORUM ✔ MET" : "QUORUM ✘ NOT MET") + " — " + item.participating +
        " of " + item.quorum_base + " members take part; a quorum needs " + item.quorum_required);
      setTone(q, item.quorum_met ? "good" : "bad");
    }
    renderCalling(item);
  }

  function renderCalling(item) {
    const calling = $("calling");
    const name = $("calling-name");
    const native = $("calling-native");
    if (item.status !== "open") {
      show(calling, false);
      return;
    }
    if (item.calling) {
      const own = LANG[item.calling.country] || "";
      setText(name, item.calling.name);
      // With a native name beside it the name is the English one; without, it may be in the member's script.
      const nativeName = item.calling.native_name || "";
      name.lang = nativeName ? "en" : own;
      setText(native, nativeName);
      native.lang = own;
      show(native, nativeName !== "");
    } else {
      setText(name, "every present member has answered");
      name.lang = "en";
      show(native, false);
    }
    show(calling, true);
  }

  function renderAgenda() {
    const list = $("agenda");
    const rows = [];
    for (const id of board.order) {
      const item = board.items.get(id);
      const li = document.createElement("li");
      if (id === board.current) {
        li.classList.add("is-current");
        li.setAttribute("aria-current", "step");
      }
      const number = document.createElement("span");
      number.className = "number";
      number.textContent = item.id + ".";
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = item.title;
      const result = document.createElement("span");
      result.className = "result";
      result.textContent = item.verdict.symbol + " " + item.verdict.words;
      setTone(result, item.verdict.tone);
      li.append(number, title, result);
      let detail = "";
      if (item.kind === "decision" && item.status !== "pending") {
        detail = "yes " + item.yes + " · no " + item.no + " · abstain " + item.abstain +
          " · not voting " + item.not_voting + (item.status === "open" ? " · uncalled " + item.uncalled : "");
      } else if (item.verdict.code === "elected") {
        detail = item.verdict.reason;
      }
      if (detail) {
        const d = document.createElement("span");
        d.className = "detail";
        d.textContent = detail;
        li.append(d);
      }
      rows.push(li);
    }
    list.replaceChildren(...rows);
  }

  // A sentence for screen readers each time the current item's tally or outcome changes.
  function announce(changed) {
    const item = board.current === null ? null : board.items.get(board.current);
    if (!item || (changed && !changed.has(item.id) && board.announced !== "")) return;
    let text = "Item " + item.id + ", " + item.title + ". ";
    if (item.kind === "decision" && item.status !== "pending") {
      text += "Yes " + item.yes + ", no " + item.no + ", abstain " + item.abstain + ", not voting " +
        item.not_voting + ", uncalled " + item.uncalled + ". Yes needed " + item.required_yes + ". ";
    }
    text += item.verdict.words + ".";
    if (item.status === "open" && item.calling) {
      text += " Now calling " + item.calling.name + (item.calling.native_name ? " " + item.calling.native_name : "") + ".";
    }
    if (text !== board.announced) {
      board.announced = text;
      setText($("announce"), text);
    }
  }

  // ------------------------------------------------------------- the stream
  function connect() {
    const stream = new EventSource("/events");
    stream.onopen = () => {
      board.connected = true;
    };
    stream.onmessage = (event) => {
      board.connected = true;
      apply(JSON.parse(event.data));
    };
    stream.onerror = () => {
      // The browser reconnects by itself; until then the figures on screen may be old.
      board.connected = false;
      if (board.report) renderStatus();
      else setText($("live"), "⚠ NOT LIVE — connecting…");
    };
  }

  connect();
})();
