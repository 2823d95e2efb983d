/* socialdesk UI: reply drafts kept in this browser, so a session that ends mid-reply loses nothing.
   What the agent types is kept in localStorage (per workspace and conversation) until the reply is
   sent; after logging in again the login returns to the conversation and the box holds the draft.
   Logging out forgets every draft. A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var body = document.body;
  var DRAFT_PREFIX = "socialdesk:draft:";
  var workspaceMeta = document.querySelector('meta[name="workspace-id"]');
  function draftKey(form) {
    var found = /^\/conversations\/(\d+)\//.exec(form.getAttribute("action") || "");
    return workspaceMeta && found ? DRAFT_PREFIX + workspaceMeta.content + ":" + found[1] : null;
  }
  function forgetDraft(form) {
    var key = draftKey(form);
    if (key) {
      try { window.localStorage.removeItem(key); } catch (err) { /* storage off: nothing kept */ }
    }
  }
  function keepDrafts() {
    var form = document.getElementById("reply-form");
    var box = document.getElementById("reply-text");
    var key = form && draftKey(form);
    if (!box || !key || box.getAttribute("data-draft-kept")) { return; }
    box.setAttribute("data-draft-kept", "true");
    var saved = null;
    try { saved = window.localStorage.getItem(key); } catch (err) { /* storage off */ }
    if (saved && !box.value) {
      box.value = saved;
      var notice = document.createElement("p");
      notice.className = "meta draft-restored";
      notice.setAttribute("role", "status");
      notice.textContent = "Your unsent draft was restored.";
      box.insertAdjacentElement("afterend", notice);
      if (window.htmx) { window.htmx.trigger(box, "compose-refresh"); }
    }
    function save() {
      try {
        if (box.value) { window.localStorage.setItem(key, box.value); } else { window.localStorage.removeItem(key); }
      } catch (err) { /* storage full or off: the draft is only in the box */ }
    }
    box.addEventListener("input", save);
    box.addEventListener("compose-refresh", save); // a saved reply inserted by app.js
  }
  keepDrafts();
  body.addEventListener("htmx:load", keepDrafts);
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || form.getAttribute("action") !== "/logout") { return; }
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(DRAFT_PREFIX) === 0) { window.localStorage.removeItem(name); }
      }
    } catch (err) { /* storage off */ }
  });

  // A sent reply (200) forgets its draft; a refused one (409, 422) or a lost session keeps it.
  body.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (elt && elt.classList && elt.classList.contains("reply-send") && code === 200) {
      var form = document.getElementById("reply-form");
      if (form) { forgetDraft(form); }
    }
  });
})();
