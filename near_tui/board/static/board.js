// The NEAR live board: follows /events and draws the picture the server sends.
//
// Every figure, every word about the session and every decision of what to show (figures or
// none, the status of each item, the announcement) comes from the server's picture, the one
// view model the chair draws too (near_tui/views/view_model.py). This script only places it on
// the page, and paces what screen readers hear. Text from the session (names, titles, reasons)
// is set with textContent, never parsed as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const TONES = ["good", "bad", "live", "warn", "plain", "muted"];
  const FIGURES = ["yes", "no", "abstain", "not_voting", "uncalled", "required_yes", "cast"];
  const TALLY_PAUSE_MS = 3000;  // at most one tally sentence per 3 s: a screen reader finishes each

  // The page's language and board.js's own words in it, put in the page by the server.
  const LANG = document.documentElement.dataset.lang || "en";
  const WORDS = JSON.parse($("words").textContent);
  const say = (key, values) => WORDS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

  const board = { picture: null, live: false, problem: null, connected: false };
  const voice = { said: "", last: 0, timer: null };

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // A line of "word figure · word figure": each pair kept on one line (a figure never parted
  // from its word when the line wraps); the text is the server's, unchanged.
  function setPhrases(el, text) {
    if (el.textContent === text) return;
    const nodes = [];
    text.split(" · ").forEach((part, i) => {
      if (i) nodes.push(document.createTextNode(" · "));
      const span = document.createElement("span");
      span.className = "phrase";
      span.textContent = part;
      nodes.push(span);
    });
    el.replaceChildren(...nodes);
  }

  function show(el, visible) {
    el.hidden = !visible;
  }

  function setTone(el, tone) {
    for (const t of TONES) el.classList.remove("tone-" + t);
    el.classList.add("tone-" + (TONES.includes(tone) ? tone : "plain"));
  }

  // A name in its own language: CJK characters take that language's forms, screen readers its voice.
  function nameSpan(text, lang, cls) {
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    span.lang = lang || "en";
    return span;
  }

  function nameNodes(name) {
    const nodes = [nameSpan(name.name, name.lang)];
    if (name.native) nodes.push(document.createTextNode(" "), nameSpan(name.native, name.native_lang, "native"));
    return nodes;
  }

  function apply(message) {
    board.picture = message.picture;
    board.live = message.live;
    board.problem = message.problem;
    render();
  }

  // ---------------------------------------------------------------- drawing
  function render() {
    const p = board.picture;
    setText($("session-title"), p.title);
    $("session-title").lang = p.title_lang || LANG;
    setText($("session-venue"), p.venue);
    $("session-venue").lang = p.venue_lang || LANG;
    document.title = say("live_board", { title: p.title });
    show($("closed"), p.closed === true);
    renderStatus();
    renderCurrent(p.current);
    renderAgenda(p.agenda);
    setPhrases($("attendance"), p.attendance_line);
    setText($("chain"), say("record_event", { seq: p.seq, head: String(p.head).slice(0, 16) }));
    if (board.connected) announce(p.announcement, p.announcement_kind);
  }

  function renderStatus() {
    const badge = $("live");
    const problem = $("problem");
    let why = null;
    if (!board.connected) why = say("lost", {});
    else if (!board.live) why = board.problem || say("not_following", {});
    if (why === null) {
      setText(badge, say("live", {}));
      setTone(badge, "good");
      show(problem, false);
    } else {
      setText(badge, say("not_live", {}));
      setTone(badge, "bad");
      setText(problem, say("not_live_why", { why: why }));
      show(problem, true);
    }
    document.body.classList.toggle("stale", why !== null);
  }

  // On a wall a verdict of long words (a Mongolian or Russian one) that would take two lines is
  // set a size smaller to hold one, so that the figures under it stay on the screen.
  const WALL = matchMedia("(min-width: 60rem)");
  function fitVerdict() {
    const el = $("verdict");
    el.classList.remove("long");
    if (el.hidden || !WALL.matches) return;
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    if (el.getBoundingClientRect().height > line * 1.5) el.classList.add("long");
  }
  window.addEventListener("resize", fitVerdict);

  // When a figure's caption does not fit its box (one long word: Mongolian "ДУУДАГДААГҮЙ",
  // uncalled), every caption is set smaller (CSS ".figures.tight"), rather than broken inside
  // the word; measured only while the figures are shown.
  function fitCaptions() {
    const figures = $("figures");
    figures.classList.remove("tight");
    if (figures.hidden) return;
    if ([...figures.querySelectorAll("dt")].some((dt) => dt.scrollWidth > dt.clientWidth + 1)) {
      figures.classList.add("tight");
    }
  }
  window.addEventListener("resize", fitCaptions);

  function renderCurrent(current) {
    const line = current.line;
    const vote = current.vote;
    setText($("item-kind"), current.heading);
    setText($("item-why"), current.why ? "— " + current.why : "");
    setText($("item-title"), current.title);
    $("item-title").lang = (line && line.title_lang) || LANG;
    show($("item-state"), current.state_words !== "");
    setText($("item-state"), current.state_words);
    // What is hidden is emptied too: a page kept open is then the very page a fresh load draws.
    show($("verdict"), line !== null);
    show($("verdict-reason"), line !== null);
    if (line === null) {
      setText($("verdict-symbol"), "");
      setText($("verdict-words"), "");
      setText($("verdict-reason"), "");
      setTone($("verdict"), "plain");
    } else {
      const label = vote ? vote.outcome : line.result;
      const [symbol, ...words] = label.split(" ");
      setText($("verdict-symbol"), symbol);
      setText($("verdict-words"), words.join(" "));
      setTone($("verdict"), vote ? vote.outcome_tone : line.tone);
      const reason = vote ? vote.outcome_note : line.reason;
      setText($("verdict-reason"), reason);
      show($("verdict-reason"), reason !== "");
    }
    fitVerdict();
    // Figures only for an item that has them: never for a withdrawn or postponed one.
    const numbers = line ? line.numbers : null;
    show($("figures"), numbers !== null);
    fitCaptions();
    show($("needs"), numbers !== null);
    show($("quorum"), numbers !== null);
    show($("item-rule"), vote !== null);
    for (const name of FIGURES) setText($("f-" + name), numbers === null ? "" : String(numbers[name]));
    setText($("quorum"), numbers === null ? "" : numbers.quorum.sentence);
    setTone($("quorum"), numbers === null ? "plain" : numbers.quorum.met ? "good" : "bad");
    setText($("item-rule"), vote === null ? "" : vote.rule);
    renderCalling(vote);
    renderAdmissions(current.item_id);
  }

  function renderCalling(vote) {
    const calling = $("calling");
    const name = $("calling-name");
    const native = $("calling-native");
    if (vote === null || !vote.open) {
      show(calling, false);
      setText(name, "");
      setText(native, "");
      name.removeAttribute("lang");
      native.removeAttribute("lang");
      show(native, false);
      show($("calling-label"), true);
      return;
    }
    const member = vote.calling_member;
    show($("calling-label"), member !== null);
    if (member !== null) {
      setText(name, member.name);
      name.lang = member.lang || "en";
      setText(native, member.native);
      native.lang = member.native_lang || "en";
      show(native, member.native !== "");
    } else {
      setText(name, vote.calling);
      name.lang = "en";
      show(native, false);
    }
    show(calling, true);
  }

  function renderAdmissions(itemId) {
    const list = $("admissions");
    const rows = [];
    for (const a of board.picture.admissions) {
      if (a.item_id !== itemId) continue;
      const li = document.createElement("li");
      li.append(document.createTextNode(a.lead));
      a.names.forEach((n, i) => {
        if (i) li.append(document.createTextNode(say("list", {})));
        li.append(...nameNodes(n));
      });
      li.append(document.createTextNode(a.tail));
      rows.push(li);
    }
    list.replaceChildren(...rows);
    show(list, rows.length > 0);
  }

  function renderAgenda(agenda) {
    const rows = [];
    for (const line of agenda) {
      const li = document.createElement("li");
      li.dataset.item = line.item_id;
      li.dataset.status = line.status;
      if (line.current) {
        li.classList.add("is-current");
        li.setAttribute("aria-current", "step");
      }
      // Every item but the current one takes one line (a finished one with its short figures),
      // so that a twelve-item agenda and the attendance line fit a wall screen.
      if (!line.current) li.classList.add("finished");
      if (line.elected.length) li.classList.add("elected");
      const number = document.createElement("span");
      number.className = "number";
      number.textContent = line.item_id + ".";
      const title = document.createElement("span");
      title.className = "title";
      title.lang = line.title_lang || LANG;
      title.textContent = line.title;
      if (line.added) {
        const tag = document.createElement("span");
        tag.className = "added";
        tag.textContent = say("addendum", {});
        tag.lang = LANG;
        title.prepend(tag);
      }
      const result = document.createElement("span");
      result.className = "result";
      result.textContent = line.result;
      setTone(result, line.tone);
      li.append(number, title, result);
      if (line.figures) {
        const short = document.createElement("span");
        short.className = "short";
        short.textContent = line.figures;
        short.title = line.detail;
        li.append(short);
      }
      if (line.detail || line.elected.length) {
        const d = document.createElement("span");
        d.className = "detail";
        if (line.elected.length) {
          line.elected.forEach((n, i) => {
            if (i) d.append(document.createTextNode(say("list", {})));
            d.append(...nameNodes(n));
          });
        } else {
          setPhrases(d, line.detail);
        }
        li.append(d);
      }
      rows.push(li);
    }
    $("agenda").replaceChildren(...rows);
  }

  // ------------------------------------------------------------ the voice
  // One short sentence at a time (the server keeps it under 100 characters). During a roll
  // call at most one every 3 s, the latest; an outcome, an agenda change and NOT LIVE at once.
  function announce(text, kind) {
    if (!text || text === voice.said) return;
    clearTimeout(voice.timer);
    voice.timer = null;
    const wait = kind === "tally" ? voice.last + TALLY_PAUSE_MS - Date.now() : 0;
    if (wait > 0) {
      voice.timer = setTimeout(() => speak(text), wait);
    } else {
      speak(text);
    }
  }

  function speak(text) {
    voice.timer = null;
    voice.said = text;
    voice.last = Date.now();
    setText($("announce"), text);
  }

  // ------------------------------------------------------------- the stream
  function connect() {
    const stream = new EventSource("/events?lang=" + encodeURIComponent(LANG));
    stream.onopen = () => {
      board.connected = true;
    };
    stream.onmessage = (event) => {
      board.connected = true;
      apply(JSON.parse(event.data));
    };
    stream.onerror = () => {
      // The browser reconnects by itself; until then the figures on screen may be old.
      const was = board.connected;
      board.connected = false;
      if (board.picture) renderStatus();
      else setText($("live"), say("connecting", {}));
      if (was) announce(say("lost_said", {}), "not_live");
    };
  }

  connect();
})();
