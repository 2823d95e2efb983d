/* The header on every page: the collapsible menu on narrow screens, the unread-notifications badge,
   the pending-approvals count, and (opt-in, per user) a sound and a desktop notification.
   It opens the page's one live stream (window.socialdeskEvents), which app.js and mission.js share.
   A static file because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  // --- the menu: shown whole without JavaScript; with it, collapsed behind "Menu" on narrow screens ---
  var bar = document.querySelector("header.topbar");
  var toggle = document.getElementById("menu-toggle");
  var menu = document.getElementById("main-menu");
  if (bar && toggle && menu) {
    bar.classList.add("menu-ready");
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      bar.classList.toggle("menu-open", open);
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  var badge = document.getElementById("notification-count");
  if (!badge) {
    return; // nobody is logged in
  }
  var approvals = document.getElementById("approvals-count");
  var LAST_KEY = "socialdesk.notified-up-to";

  function showCount(el, count, unit) {
    if (!el) {
      return;
    }
    el.textContent = "";
    el.hidden = !count;
    if (count) {
      el.appendChild(document.createTextNode(count > 99 ? "99+" : String(count)));
      var hiddenText = document.createElement("span");
      hiddenText.className = "visually-hidden";
      hiddenText.textContent = " " + unit;
      el.appendChild(hiddenText);
    }
    el.setAttribute("data-count", String(count || 0));
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    try {
      var ctx = new Context();
      var tone = ctx.createOscillator();
      var gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.35);
      tone.connect(gain);
      gain.connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + 0.35);
      tone.addEventListener("ended", function () { ctx.close(); });
    } catch (e) {
      // no audio device: the badge still tells
    }
  }

  function tell(summary) {
    var latest = summary.latest;
    if (!latest) {
      return;
    }
    var upTo = parseInt(window.localStorage.getItem(LAST_KEY) || "0", 10) || 0;
    if (latest.id <= upTo) {
      return; // another tab of this browser told already
    }
    window.localStorage.setItem(LAST_KEY, String(latest.id));
    document.body.setAttribute("data-last-alert", String(latest.id));
    if (summary.sound) {
      beep();
    }
    if (summary.desktop && window.Notification && window.Notification.permission === "granted") {
      var shown = new window.Notification("socialdesk", { body: latest.text, tag: "socialdesk-" + latest.id });
      shown.addEventListener("click", function () {
        window.focus();
        window.location.assign(latest.url);
      });
    }
  }

  // how: "load" (the page opened: what is unread now is not news), "alert" (the stream said this user
  // has a new notification) or "quiet" (only the counts changed, e.g. an approval was decided).
  function refresh(how) {
    fetch("/notifications/summary", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok && !r.redirected ? r.json() : null;
      })
      .then(function (summary) {
        if (!summary) {
          return;
        }
        showCount(badge, summary.unread, "unread");
        showCount(approvals, summary.approvals, "waiting");
        if (how === "alert") {
          tell(summary);
        } else if (how === "load" && summary.latest) {
          // What was unread when the page opened is not news: remember it so it does not ring later.
          var upTo = parseInt(window.localStorage.getItem(LAST_KEY) || "0", 10) || 0;
          window.localStorage.setItem(LAST_KEY, String(Math.max(upTo, summary.latest.id)));
        }
      })
      .catch(function () {});
  }

  refresh("load");

  if (window.EventSource && !window.socialdeskEvents) {
    window.socialdeskEvents = new EventSource("/events");
  }
  if (window.socialdeskEvents) {
    window.socialdeskEvents.addEventListener("message", function (msg) {
      var kind = "";
      try {
        kind = JSON.parse(msg.data).kind;
      } catch (e) {
        return;
      }
      if (kind === "notification.created") {
        refresh("alert"); // the server sends these to their recipient's streams only
      } else if ((kind === "approval.requested" || kind === "approval.decided") && approvals) {
        refresh("quiet");
      } else if (kind === "resync") {
        refresh("quiet");
      }
    });
  }

  // --- the opt-in form: ask the browser's permission when desktop notifications are turned on ---
  var form = document.getElementById("notify-preferences");
  var desktop = document.getElementById("notify-desktop");
  var said = document.getElementById("notify-permission");
  function sayPermission() {
    if (!said) {
      return;
    }
    said.hidden = false;
    if (!window.Notification) {
      said.textContent = "This browser cannot show desktop notifications.";
    } else if (window.Notification.permission === "granted") {
      said.textContent = "This browser allows desktop notifications from socialdesk.";
    } else if (window.Notification.permission === "denied") {
      said.textContent = "This browser blocks desktop notifications from socialdesk: allow them in its site settings.";
    } else {
      said.textContent = "The browser will ask you to allow desktop notifications when you save.";
    }
  }
  if (form && desktop) {
    sayPermission();
    form.addEventListener("submit", function (evt) {
      if (desktop.checked && window.Notification && window.Notification.permission === "default") {
        evt.preventDefault();
        Promise.resolve(window.Notification.requestPermission()).then(sayPermission, sayPermission)
          .then(function () { form.submit(); });
      }
    });
  }
})();
