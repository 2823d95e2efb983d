/* Mission control: re-fetch the panels every 15 s and, debounced, when a live event arrives.
   A static file because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var region = document.getElementById("mission-panels");
  if (!region) {
    return;
  }
  var url = region.getAttribute("data-mission-url");
  var every = parseInt(region.getAttribute("data-refresh-ms"), 10) || 15000;
  var DEBOUNCE_MS = 2000; // a burst of events causes one refresh, at most one every two seconds
  var indicator = document.getElementById("live-status");
  var timer = null;
  var busy = false;
  var lastRefresh = Date.now();

  function setStatus(text, state) {
    if (indicator) {
      indicator.hidden = false;
      indicator.textContent = text;
      indicator.className = "live-status live-" + state;
    }
  }

  function refresh() {
    timer = null;
    if (busy) {
      return;
    }
    busy = true;
    lastRefresh = Date.now();
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (response.redirected && new URL(response.url).pathname === "/login") {
          window.location.assign(response.url);
          throw new Error("signed out");
        }
        if (!response.ok) {
          throw new Error("refresh failed: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html; // server-rendered, escaped by the templates
        showPanel();
        var updated = document.getElementById("wall-updated");
        if (updated) {
          var at = new Date();
          updated.setAttribute("datetime", at.toISOString());
          updated.textContent = at.toISOString().slice(11, 16) + " UTC";
        }
      })
      .catch(function () {
        setStatus("Reconnecting…", "reconnecting");
      })
      .then(function () {
        busy = false;
      });
  }

  // --- the wall (/mission/wall): the figures stay, the other panels take turns ---
  var cycleMs = parseInt(region.getAttribute("data-cycle-ms"), 10) || 0;
  var turn = 0;
  var paused = false;
  var panelName = document.getElementById("wall-panel-name");

  function showPanel() {
    if (!cycleMs) {
      return;
    }
    var panels = region.querySelectorAll("[data-wall-panel]");
    if (!panels.length) {
      return;
    }
    turn = turn % panels.length;
    Array.prototype.forEach.call(panels, function (panel, i) {
      panel.hidden = i !== turn;
    });
    if (panelName) {
      panelName.textContent = panels[turn].getAttribute("data-wall-panel") + " (" + (turn + 1) + " of " +
        panels.length + ")" + (paused ? ", paused" : "");
    }
    region.setAttribute("data-wall-turn", String(turn));
  }

  if (cycleMs) {
    showPanel();
    window.setInterval(function () {
      if (!paused) {
        turn += 1;
        showPanel();
      }
    }, cycleMs);
    document.addEventListener("keydown", function (evt) {
      if (evt.key === " " || evt.key === "p" || evt.key === "P") {
        evt.preventDefault();
        paused = !paused;
        showPanel();
      }
    });
  }

  function soon() {
    if (timer === null) {
      timer = window.setTimeout(refresh, Math.max(0, lastRefresh + DEBOUNCE_MS - Date.now()));
    }
  }

  window.setInterval(function () {
    if (!document.hidden) {
      refresh();
    }
  }, every);

  if (window.EventSource) {
    // The page's one stream, opened by notify.js and shared; it may be open already.
    var source = window.socialdeskEvents || (window.socialdeskEvents = new EventSource("/events"));
    var everOpened = false;
    var opened = function () {
      setStatus("Live", "on");
      if (everOpened) {
        soon(); // events may have been missed while disconnected
      }
      everOpened = true;
    };
    source.addEventListener("open", opened);
    if (source.readyState === EventSource.OPEN) {
      opened();
    }
    source.addEventListener("message", soon);
    source.addEventListener("error", function () {
      setStatus(source.readyState === EventSource.CLOSED ? "Offline: reload the page" : "Reconnecting…",
        source.readyState === EventSource.CLOSED ? "off" : "reconnecting");
    });
  }
})();
