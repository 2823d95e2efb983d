/* socialdesk desk: ticking inbox rows (x, shift+x and shift+click for a range), the bulk bar, the
   browser's time zone, macro keys (1-9) and "resolve and next" (shift+e) on a conversation.
   Everything here has a plain-form fallback: the page works without it. */
(function () {
  "use strict";
  var body = document.body;
  var ticked = {}; // conversation id -> true, kept across live refreshes of the rows
  var anchor = null; // the row last ticked by hand: the start of a shift range

  function picks() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-rows input.row-pick"));
  }
  function showCount() {
    var count = document.getElementById("bulk-count");
    if (!count) { return; }
    var n = Object.keys(ticked).length;
    count.textContent = n ? n + (n === 1 ? " conversation ticked" : " conversations ticked") : "No rows ticked";
  }
  function setTick(box, on) {
    box.checked = on;
    if (on) { ticked[box.value] = true; } else { delete ticked[box.value]; }
    var row = box.closest("tr");
    if (row) { row.classList.toggle("row-ticked", on); }
  }
  function tickRange(from, to, on) {
    var all = picks();
    var a = all.indexOf(from), b = all.indexOf(to);
    if (a < 0 || b < 0) { setTick(to, on); return; }
    for (var i = Math.min(a, b); i <= Math.max(a, b); i++) { setTick(all[i], on); }
  }
  body.addEventListener("click", function (evt) {
    var box = evt.target;
    if (!box.classList || !box.classList.contains("row-pick")) { return; }
    if (evt.shiftKey && anchor && anchor !== box && document.body.contains(anchor)) {
      tickRange(anchor, box, box.checked);
    } else {
      setTick(box, box.checked);
    }
    anchor = box;
    showCount();
  });
  function focusedPick() {
    var el = document.activeElement;
    var row = el && el.closest ? el.closest("#inbox-rows tbody tr") : null;
    row = row || document.querySelector("#inbox-rows tbody tr.row-selected");
    return row ? row.querySelector("input.row-pick") : null;
  }
  function isField(el) {
    if (!el || !el.tagName) { return false; }
    return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].indexOf(el.tagName) >= 0;
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.defaultPrevented || evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    if (isField(evt.target) && !(evt.target.classList && evt.target.classList.contains("row-pick"))) { return; }
    var key = evt.key;
    if (key === "x" || key === "X") {
      var box = focusedPick();
      if (!box) { return; }
      var on = !box.checked;
      if (evt.shiftKey && anchor && anchor !== box && document.body.contains(anchor)) {
        tickRange(anchor, box, true);
      } else {
        setTick(box, on);
      }
      anchor = box;
      showCount();
      evt.preventDefault();
      return;
    }
    if (key === "E") {
      var next = document.querySelector("#resolve-next button");
      if (next) { next.click(); evt.preventDefault(); }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      var macro = document.querySelector('[data-macro-key="' + key + '"]');
      if (macro) { macro.click(); evt.preventDefault(); }
    }
  });
  // Live refreshes replace the rows: tick again those still shown, forget the rest.
  body.addEventListener("htmx:afterSwap", function () {
    var shown = {};
    picks().forEach(function (box) {
      shown[box.value] = true;
      if (ticked[box.value]) { setTick(box, true); }
    });
    Object.keys(ticked).forEach(function (id) { if (!shown[id]) { delete ticked[id]; } });
    showCount();
  });
  // After a bulk action: forget the ticks and reload the rows.
  body.addEventListener("inbox-refresh", function () {
    ticked = {};
    anchor = null;
    var filter = document.getElementById("inbox-filter");
    if (filter && window.htmx) { window.htmx.trigger(filter, "submit"); }
    showCount();
  });

  // The bulk bar shows only the fields of the chosen action.
  var FIELDS = {
    assign: ["bulk-assignee"], tag: ["bulk-tags", "bulk-untag"], snooze: ["bulk-snooze", "bulk-until"],
    incident: ["bulk-incident"], resolve: []
  };
  function showBulkFields() {
    var op = document.getElementById("bulk-op");
    if (!op) { return; }
    document.querySelectorAll("#bulk-form .bulk-arg").forEach(function (el) {
      var id = el.tagName === "LABEL" ? el.getAttribute("for") : el.id;
      el.hidden = (FIELDS[op.value] || []).indexOf(id) < 0;
    });
  }
  body.addEventListener("change", function (evt) {
    if (evt.target && evt.target.id === "bulk-op") { showBulkFields(); }
  });
  showBulkFields();
  showCount();

  // The browser's time zone: offered to the zone form, and saved once when none is chosen yet.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (err) { zone = ""; }
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    input.value = zone;
    var token = document.querySelector('meta[name="csrf-token"]');
    if (input.hasAttribute("data-autosave") && zone && zone !== "UTC" && token && window.fetch) {
      var data = new URLSearchParams({ what: "zone", time_zone: zone, back: "/" });
      window.fetch("/inbox/preferences", {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRF-Token": token.getAttribute("content") }, body: data
      }).catch(function () {});
    }
  });
})();
