/* Reader comments: reply in place, like without leaving the page (and remember the like in this
   browser), fetch the comment form's anti-spam token when the reader starts on the form, and after
   posting move focus to the acknowledgement and show the reader their own held comment. The page may come from the shared page
   cache, so it carries no token of its own. Everything here is an enhancement: without it the
   links and forms still work, and a comment is confirmed on a page that carries a token. */
(function () {
  "use strict";
  var section = document.getElementById("comments");
  var form = document.getElementById("comment-form");
  if (!section) { return; }

  var home = form ? form.parentNode : null;
  var homeNext = form ? form.nextSibling : null;
  var heading = form ? form.querySelector("#comment-form-heading") : null;
  var parentInput = form ? form.querySelector("input[name=parent]") : null;
  var cancel = null;
  var lastLink = null;
  var tokenInput = form ? form.querySelector("input[name=token]") : null;
  var tokenRequest = null;

  // One token per page view, asked for once, when the reader first touches the form; its
  // minimum fill time counts from then.
  function fetchToken() {
    if (!tokenInput || tokenInput.value || !window.fetch) { return Promise.resolve(); }
    if (!tokenRequest) {
      tokenRequest = fetch(form.dataset.tokenUrl, {
        credentials: "same-origin", headers: { "Accept": "application/json" },
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        tokenInput.value = data.token;
      }).catch(function () {
        tokenRequest = null;  // the form still posts; the server then asks the reader to confirm
      });
    }
    return tokenRequest;
  }

  // The reader's own words, kept in this tab while the post is on its way, so the page that says
  // "awaiting moderation" can show them back; that page is the same for every reader and carries none.
  var PENDING_KEY = "newsroom:pending-comment";

  function storage(kind) {
    try { return window[kind]; } catch (error) { return null; }  // blocked storage: no memory, no harm
  }

  function keepPending() {
    var store = storage("sessionStorage");
    var name = form.querySelector("[name=author_name]");
    var body = form.querySelector("[name=body_text]");
    if (!store || !body) { return; }
    try {
      store.setItem(PENDING_KEY, JSON.stringify({
        action: form.getAttribute("action"), name: name ? name.value : "", body: body.value,
      }));
    } catch (error) { /* full or blocked: the acknowledgement still shows */ }
  }

  function acknowledge() {
    var ack = document.getElementById("comment-ack");
    var store = storage("sessionStorage");
    var pending = null;
    if (store) {
      try { pending = JSON.parse(store.getItem(PENDING_KEY) || "null"); } catch (error) { pending = null; }
      store.removeItem(PENDING_KEY);
    }
    if (!ack) { return; }
    if (pending && form && pending.action === form.getAttribute("action") && pending.body && ack.querySelector("[data-held]")) {
      var held = document.createElement("div");
      held.className = "comment-held";
      var status = document.createElement("p");
      status.className = "comment-held__status";
      status.textContent = "Your comment, as posted · not public until approved";
      var who = document.createElement("p");
      who.className = "comment-held__author";
      who.textContent = pending.name;
      var text = document.createElement("p");
      text.className = "comment-held__body";
      text.textContent = pending.body;
      held.append(status, who, text);
      ack.appendChild(held);
    }
    // After the page has loaded: the browser's own move to #comments would otherwise take focus back.
    function focusAck() { window.setTimeout(function () { ack.focus(); }, 0); }
    if (document.readyState === "complete") { focusAck(); } else { window.addEventListener("load", focusAck); }
  }

  if (form) {
    form.addEventListener("focusin", fetchToken);
    form.addEventListener("submit", keepPending);
    form.addEventListener("submit", function (event) {
      if (!tokenInput || tokenInput.value || !window.fetch) { return; }
      event.preventDefault();
      fetchToken().then(function () { form.submit(); });
    });
  }

  function resetForm() {
    if (!form || !home) { return; }
    home.insertBefore(form, homeNext);
    parentInput.value = "";
    heading.textContent = "Add a comment";
    if (cancel) { cancel.remove(); cancel = null; }
    // The focused Cancel button has just gone; give keyboard users back the Reply they pressed.
    if (lastLink) { lastLink.focus(); lastLink = null; }
  }

  function replyTo(link) {
    var item = document.getElementById("comment-" + link.dataset.replyTo);
    if (!form || !item) { return false; }
    lastLink = link;
    var replies = item.querySelector(":scope > .comment-replies");
    item.insertBefore(form, replies);
    parentInput.value = link.dataset.replyTo;
    heading.textContent = "Reply to " + link.dataset.replyName;
    if (!cancel) {
      cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "comment-form__cancel";
      cancel.textContent = "Cancel reply";
      cancel.addEventListener("click", resetForm);
      form.querySelector("button[type=submit]").after(cancel);
    }
    var first = form.querySelector("input:not([type=hidden]):not([tabindex='-1']), textarea");
    if (first) { first.focus(); }
    return true;
  }

  // Comments this browser has liked, so a like still shows as pressed after a reload (the page may
  // come from the shared cache and cannot know who is reading).
  var LIKED_KEY = "newsroom:liked-comments";
  var LIKED_KEPT = 500;

  function likedIds() {
    var store = storage("localStorage");
    try { return store ? JSON.parse(store.getItem(LIKED_KEY) || "[]") : []; } catch (error) { return []; }
  }

  function rememberLike(id) {
    var store = storage("localStorage");
    var ids = likedIds().filter(function (known) { return known !== id; });
    ids.push(id);
    try { if (store) { store.setItem(LIKED_KEY, JSON.stringify(ids.slice(-LIKED_KEPT))); } } catch (error) { /* not kept */ }
  }

  function showLiked(likeForm) {
    var button = likeForm.querySelector("button");
    button.classList.add("like-button--liked");
    button.setAttribute("aria-pressed", "true");
  }

  function markLiked() {
    var ids = likedIds();
    section.querySelectorAll("form.like-form").forEach(function (likeForm) {
      var button = likeForm.querySelector("button");
      if (ids.indexOf(likeForm.dataset.comment) !== -1) { showLiked(likeForm); }
      else { button.setAttribute("aria-pressed", "false"); }
    });
  }

  function like(likeForm) {
    var button = likeForm.querySelector("button");
    button.disabled = true;
    // No CSRF token: the like view accepts only requests the browser marks as same-origin.
    return fetch(likeForm.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      likeForm.querySelector(".like-count").textContent = data.likes + (data.likes === 1 ? " like" : " likes");
      showLiked(likeForm);
      rememberLike(likeForm.dataset.comment);
    }).catch(function () {
      likeForm.submit();  // let the page-load path report what went wrong
    });
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest("a.reply-link");
    if (link && replyTo(link)) { event.preventDefault(); }
  });
  section.addEventListener("submit", function (event) {
    var likeForm = event.target.closest("form.like-form");
    if (likeForm && window.fetch) {
      event.preventDefault();
      like(likeForm);
    }
  });
  markLiked();
  acknowledge();
})();
