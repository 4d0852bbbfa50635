/* Reader comments: reply in place, like without leaving the page, and fetch the comment form's
   anti-spam token when the reader starts on the form. The page may come from the shared page
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

  if (form) {
    form.addEventListener("focusin", fetchToken);
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
      button.classList.add("like-button--liked");
      button.setAttribute("aria-pressed", "true");
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
})();
