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

  // A request whose session ended was redirected to the login form: go there, don't swap it in.
  function toLoginIfSignedOut(url) {
    if (url && new URL(url, window.location.href).pathname === "/login") {
      window.location.assign(url);
      return true;
    }
    return false;
  }

  var flash = document.getElementById("flash");
  function showFlash(text) {
    if (flash) {
      flash.textContent = text;
      flash.hidden = false;
    }
  }

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
    if (elt && elt.id === "reply-form" && code === 200) {
      elt.reset();
    }
    // Keep the address bar in step with the inbox filters, so a reload shows the same list.
    if (elt && elt.id === "inbox-filter" && code === 200 && window.history.replaceState) {
      var params = new URLSearchParams(new FormData(elt)).toString();
      window.history.replaceState(null, "", params ? "/?" + params : "/");
    }
  });

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
        if (window.htmx) {
          window.htmx.process(region);
        }
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
    return String(event.conversation_id) === conversationId;
  }

  var source = new EventSource("/events");
  var everOpened = false;
  source.addEventListener("open", function () {
    setStatus("Live", "on");
    if (everOpened) {
      scheduleRefresh(); // events may have been missed while disconnected
    }
    everOpened = true;
  });
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
