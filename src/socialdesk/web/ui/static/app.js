/* socialdesk UI: CSRF header for HTMX, form niceties, and live refresh over server-sent events.
   Kept in a static file because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var body = document.body;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  // Every HTMX request carries the session's CSRF token as a header.
  if (csrfMeta) {
    body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": csrfMeta.content }));
  }

  // The agent is at the desk: tell the server on page load and on keys, clicks and scrolls (at most
  // once a minute), so that an idle agent goes away and a returning one comes back online.
  var lastActive = 0;
  function reportActive() {
    var statusForm = document.getElementById("agent-status");
    if (!statusForm || !csrfMeta || Date.now() - lastActive < 60000) { return; }
    lastActive = Date.now();
    fetch("/me/active", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfMeta.content, "Content-Type": "application/x-www-form-urlencoded" },
      body: ""
    }).then(function (r) { return r.status === 200 ? r.text() : null; }).then(function (html) {
      var current = document.getElementById("agent-status");
      if (html && current) {
        current.outerHTML = html;
        if (window.htmx) { window.htmx.process(document.getElementById("agent-status")); }
      }
    }).catch(function () {});
  }
  reportActive();
  ["keydown", "pointerdown", "scroll"].forEach(function (name) {
    document.addEventListener(name, reportActive, { passive: true, capture: true });
  });

  // A request whose session ended was redirected to the login form: go there, don't swap it in.
  function toLoginIfSignedOut(url) {
    if (url && new URL(url, window.location.href).pathname === "/login") {
      window.location.assign(url);
      return true;
    }
    return false;
  }

  // Forms that destroy something ask first (data-confirm holds the question).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  }, true);

  var flash = document.getElementById("flash");
  function showFlash(text) {
    if (flash) {
      flash.textContent = text;
      flash.hidden = false;
    }
  }

  // The session ended during an HTMX request: the server answers with HX-Redirect to the login page
  // (the whole page, returning here afterwards). Several requests may learn it at once: follow the
  // first, so one login form loads (a second load would replace the form's security token).
  var leavingForLogin = false;
  body.addEventListener("htmx:beforeOnLoad", function (evt) {
    var xhr = evt.detail.xhr;
    var target = xhr && xhr.getResponseHeader("HX-Redirect");
    if (target && new URL(target, window.location.href).pathname === "/login") {
      if (leavingForLogin) {
        evt.preventDefault();
        return;
      }
      leavingForLogin = true;
    }
  });

  body.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (toLoginIfSignedOut(xhr.responseURL)) {
      evt.detail.shouldSwap = false;
      return;
    }
    // 409 (invalid status change) and 422 (refused reply) carry the message to show: swap them in.
    if (xhr.status === 409 || xhr.status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  body.addEventListener("htmx:responseError", function (evt) {
    var code = evt.detail.xhr.status;
    showFlash(code === 403 ? "That was refused (the page is out of date): reload it and try again."
      : code === 404 ? "That is not there any more: reload the page."
        : "Something went wrong (HTTP " + code + "). Try again.");
  });
  body.addEventListener("htmx:sendError", function () {
    showFlash("The server could not be reached. Check the connection and try again.");
  });
  body.addEventListener("htmx:beforeRequest", function () {
    if (flash) {
      flash.hidden = true;
    }
  });

  body.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    // A sent reply clears the box; a refused one keeps the text so nothing is lost.
    if (elt && elt.classList && elt.classList.contains("reply-send") && code === 200) {
      var replyForm = document.getElementById("reply-form");
      if (replyForm) {
        // The brand it went out as is now the conversation's: keep it chosen for the next reply.
        var brand = document.getElementById("reply-brand");
        var brandValue = brand ? brand.value : "";
        replyForm.reset();
        if (brand && brandValue) {
          brand.value = brandValue;
        }
        setTimezoneOffset();
        markSeen(replyForm);
        var inserted = document.getElementById("kb-inserts");
        if (inserted) {
          inserted.value = "";  // a later reply carries no insert unless one is made again
        }
        var warning = document.getElementById("unscripted");
        if (warning) {
          warning.innerHTML = "";
        }
        var box = document.getElementById("reply-text");
        if (box && window.htmx) {
          window.htmx.trigger(box, "compose-refresh");
        }
      }
    }
    if (elt && elt.id === "note-form" && code === 200) {
      elt.reset();
    }
    // Keep the address bar in step with the inbox filters, so a reload shows the same list.
    if (elt && elt.id === "inbox-filter" && code === 200 && window.history.replaceState) {
      var params = new URLSearchParams(new FormData(elt)).toString();
      window.history.replaceState(null, "", params ? "/?" + params : "/");
    }
  });

  // --- composer ------------------------------------------------------------------------------
  // The newest message the agent has seen: the stale-reply guard compares it with the thread.
  function markSeen(form) {
    var thread = document.querySelector("#live-region .thread");
    var seen = form.querySelector('input[name="seen_message_id"]');
    if (thread && seen) {
      seen.value = thread.getAttribute("data-last-message-id") || seen.value;
    }
  }

  // A follow-up time is typed in the browser's zone; the server needs the offset to read it.
  function setTimezoneOffset() {
    document.querySelectorAll("input[data-tz-offset]").forEach(function (input) {
      input.value = String(new Date().getTimezoneOffset());
    });
  }
  setTimezoneOffset();

  // Saved replies: the picker lists them rendered for this conversation; a click inserts one.
  body.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest(".saved-use") : null;
    var box = document.getElementById("reply-text");
    if (!button || !box) {
      return;
    }
    var text = button.getAttribute("data-text") || "";
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    if (window.htmx) {
      window.htmx.trigger(box, "compose-refresh");
    }
    var picker = button.closest("details");
    if (picker) {
      picker.open = false;
    }
  });

  // A knowledge-base suggestion's insert: the server answers with the composer's new text and the
  // insert ids the reply form carries (so the send is counted); put them in the form.
  body.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail && evt.detail.target;
    if (!target || target.id !== "kb-insert-status") {
      return;
    }
    var result = document.getElementById("kb-insert-result");
    var box = document.getElementById("reply-text");
    var inserts = document.getElementById("kb-inserts");
    if (!result || !box) {
      return;
    }
    box.value = result.getAttribute("data-text") || "";
    if (inserts) {
      inserts.value = result.getAttribute("data-inserts") || "";
    }
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
    if (window.htmx) {
      window.htmx.trigger(box, "compose-refresh");
    }
  });

  // Public/private changes the count (private messages are not signed).
  body.addEventListener("change", function (evt) {
    var box = document.getElementById("reply-text");
    if (box && window.htmx && evt.target && evt.target.name === "visibility") {
      window.htmx.trigger(box, "compose-refresh");
    }
  });

  // --- SLA countdowns: keep "12m left" current between refreshes ------------------------------
  function span(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var m = Math.floor(s / 60), h = Math.floor(s / 3600), d = Math.floor(s / 86400);
    if (s < 60) { return s + "s"; }
    if (m < 60) { return m + "m"; }
    if (h < 24) { return (m - h * 60) ? h + "h " + (m - h * 60) + "m" : h + "h"; }
    return (h - d * 24) ? d + "d " + (h - d * 24) + "h" : d + "d";
  }
  function tickSla() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = (Date.parse(el.getAttribute("data-deadline")) - Date.now()) / 1000;
      if (isNaN(left)) { return; }
      if (left < 0) {
        el.textContent = "breached " + span(-left) + " ago";
        el.className = "sla sla-breached";
      } else {
        el.textContent = span(left) + " left";
      }
    });
  }
  window.setInterval(tickSla, 15000);

  // --- keyboard shortcuts (never while typing in a field) --------------------------------------
  var help = document.getElementById("shortcuts-help");
  var selected = null; // the href of the selected inbox row, kept across live refreshes

  function isField(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }
  function inboxLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-rows tbody tr .cell-message a"));
  }
  function showSelection() {
    inboxLinks().forEach(function (a) {
      var row = a.closest("tr");
      var on = a.getAttribute("href") === selected;
      row.classList.toggle("row-selected", on);
      if (on) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
    });
  }
  function move(step) {
    var links = inboxLinks();
    if (!links.length) { return false; }
    var at = -1;
    links.forEach(function (a, i) { if (a.getAttribute("href") === selected) { at = i; } });
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    selected = links[next].getAttribute("href");
    showSelection();
    links[next].focus();
    return true;
  }
  function clickFirst(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }
  function focusField(id) {
    var el = document.getElementById(id);
    if (el) { el.focus(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.defaultPrevented || evt.ctrlKey || evt.metaKey || evt.altKey || isField(evt.target)) {
      return;
    }
    if (help && help.open) {
      return;
    }
    var done = false;
    switch (evt.key) {
      case "j": done = move(1); break;
      case "k": done = move(-1); break;
      case "o":
      case "Enter":
        if (selected && (evt.key === "o" || !evt.target.closest || !evt.target.closest("a, button"))) {
          window.location.assign(selected);
          done = true;
        }
        break;
      case "r": done = focusField("reply-text"); break;
      case "n": done = focusField("note-text"); break;
      case "e": done = clickFirst('#live-region form[data-status="resolved"] button'); break;
      case "a": done = clickFirst("#assign-me button"); break;
      case "?":
        if (help && help.showModal) { help.showModal(); done = true; }
        break;
      default:
        return;
    }
    if (done) {
      evt.preventDefault();
    }
  });
  body.addEventListener("htmx:afterSwap", showSelection);

  // --- saved searches: kept in this browser only ----------------------------------------------
  var SAVED_KEY = "socialdesk.savedSearches";
  var savedList = document.getElementById("saved-search-list");
  function loadSaved() {
    try {
      var found = JSON.parse(window.localStorage.getItem(SAVED_KEY) || "[]");
      return Array.isArray(found) ? found : [];
    } catch (err) {
      return [];
    }
  }
  function storeSaved(list) {
    try { window.localStorage.setItem(SAVED_KEY, JSON.stringify(list)); } catch (err) { /* private mode */ }
  }
  function renderSaved() {
    if (!savedList) { return; }
    savedList.textContent = "";
    loadSaved().forEach(function (item, index) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/?" + new URLSearchParams(String(item.query || "")).toString();
      a.textContent = String(item.name || "Search");
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", "Forget the saved search " + a.textContent);
      remove.addEventListener("click", function () {
        var list = loadSaved();
        list.splice(index, 1);
        storeSaved(list);
        renderSaved();
      });
      li.appendChild(a);
      li.appendChild(remove);
      savedList.appendChild(li);
    });
  }
  var saveButton = document.getElementById("save-search");
  var filterForm = document.getElementById("inbox-filter");
  if (saveButton && filterForm) {
    saveButton.addEventListener("click", function () {
      var query = new URLSearchParams(new FormData(filterForm)).toString();
      var name = window.prompt("Name this search", (filterForm.q.value || filterForm.view.value || "search"));
      if (!name) { return; }
      var list = loadSaved();
      list.push({ name: name.slice(0, 60), query: query });
      storeSaved(list.slice(-20));
      renderSaved();
    });
  }
  renderSaved();

  // --- presence: tell colleagues we are here (and typing), show who else is --------------------
  var presenceBox = document.getElementById("presence");
  var presenceUrl = presenceBox ? presenceBox.getAttribute("data-presence-url") : null;
  var presenceState = null;
  var lastAnnounce = 0;
  var typingTimer = null;

  function showPresence(html) {
    if (presenceBox && typeof html === "string") {
      presenceBox.innerHTML = html;
    }
  }
  function announce(state, keepalive) {
    if (!presenceUrl || !csrfMeta) { return; }
    presenceState = state;
    lastAnnounce = Date.now();
    fetch(presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRF-Token": csrfMeta.content, "Content-Type": "application/x-www-form-urlencoded" },
      body: "state=" + encodeURIComponent(state)
    }).then(function (r) { return r.ok ? r.text() : null; }).then(showPresence).catch(function () {});
  }
  function refreshPresence() {
    if (!presenceUrl) { return; }
    fetch(presenceUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; }).then(showPresence).catch(function () {});
  }
  if (presenceUrl) {
    announce("viewing");
    window.setInterval(function () { announce(presenceState === "typing" ? "typing" : "viewing"); }, 10000);
    ["reply-text", "note-text"].forEach(function (id) {
      var box = document.getElementById(id);
      if (!box) { return; }
      box.addEventListener("input", function () {
        if (presenceState !== "typing" || Date.now() - lastAnnounce > 8000) {
          announce("typing");
        }
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(function () { announce("viewing"); }, 4000);
      });
    });
    window.addEventListener("pagehide", function () { announce("left", true); });
  }

  // --- live updates ---------------------------------------------------------------------------
  var region = document.querySelector("[data-live-url]");
  var indicator = document.getElementById("live-status");
  if (!region || !window.EventSource) {
    return;
  }
  var conversationId = region.getAttribute("data-conversation-id");
  var MIN_GAP_MS = 500; // at most two refreshes a second, however many events arrive
  var lastRefresh = 0;
  var timer = null;

  function setStatus(text, state) {
    if (!indicator) {
      return;
    }
    indicator.hidden = false;
    indicator.textContent = text;
    indicator.className = "live-status live-" + state;
  }

  function refreshUrl() {
    var url = region.getAttribute("data-live-url");
    var filter = document.getElementById("inbox-filter");
    if (filter) {
      var params = new URLSearchParams(new FormData(filter)).toString();
      if (params) {
        url += "?" + params;
      }
    }
    return url;
  }

  // Parts of the page outside the region that the fragment also carries (hx-swap-oob, as HTMX does
  // for its own requests): each replaces the element with its id elsewhere on the page.
  function swapOutOfBand(container) {
    Array.prototype.forEach.call(container.querySelectorAll("[hx-swap-oob]"), function (part) {
      var others = document.querySelectorAll("[id='" + part.id + "']");
      for (var i = 0; i < others.length; i += 1) {
        if (!container.contains(others[i])) {
          part.removeAttribute("hx-swap-oob");
          others[i].replaceWith(part);
          return;
        }
      }
      part.remove();
    });
  }

  function refresh() {
    timer = null;
    lastRefresh = Date.now();
    fetch(refreshUrl(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (response.redirected && toLoginIfSignedOut(response.url)) {
          throw new Error("signed out");
        }
        if (!response.ok) {
          throw new Error("refresh failed: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html;
        swapOutOfBand(region);
        if (window.htmx) {
          window.htmx.process(region);
        }
        showSelection();
      })
      .catch(function () {
        setStatus("Reconnecting…", "reconnecting");
      });
  }

  function scheduleRefresh() {
    if (timer !== null) {
      return; // one refresh is already on its way and will show this change too
    }
    timer = window.setTimeout(refresh, Math.max(0, lastRefresh + MIN_GAP_MS - Date.now()));
  }

  function concernsUs(event) {
    if (event.kind === "resync" || !conversationId) {
      return true;
    }
    if (event.kind === "presence.changed") {
      if (String(event.conversation_id) === conversationId) {
        refreshPresence(); // who is here, not the thread
      }
      return false;
    }
    return String(event.conversation_id) === conversationId;
  }

  // The page's one stream, opened by notify.js (shared so that tabs do not use up the browser's
  // connections to the server); it may be open already when this script runs.
  var source = window.socialdeskEvents || (window.socialdeskEvents = new EventSource("/events"));
  function opened() {
    setStatus("Live", "on");
    // Events may have been missed: while disconnected, or (on the first open) between the server
    // rendering this page and the stream opening, which takes seconds on a busy machine.
    scheduleRefresh();
  }
  source.addEventListener("open", opened);
  if (source.readyState === EventSource.OPEN) {
    opened();
  }
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) {
      setStatus("Offline: reload the page", "off");
    } else {
      setStatus("Reconnecting…", "reconnecting");
    }
  });
  source.addEventListener("message", function (msg) {
    var event;
    try {
      event = JSON.parse(msg.data);
    } catch (err) {
      return;
    }
    if (concernsUs(event)) {
      scheduleRefresh();
    }
  });
})();
