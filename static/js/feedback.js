// "Was this page helpful?": one press on Yes or No is stored at once and answered in place, then an
// optional comment. Without this file the same form posts and the server answers with pages.
(function () {
  "use strict";
  var box = document.querySelector("[data-feedback]");
  if (!box || !window.fetch || !window.FormData) return;
  var answerForm = box.querySelector(".feedback-answer-form");
  var status = box.querySelector(".feedback-status");
  // The words are the page's (data-* on the box), so they are in the reader's language.
  var words = box.dataset;

  function post(form, extra) {
    var data = new FormData(form);
    if (extra) data.append(extra.name, extra.value);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: words.errorText };
      });
    }, function () {
      return { ok: false, message: words.offlineText };
    });
  }

  function say(message) {
    status.textContent = message;
  }

  function commentForm(url, token) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    form.className = "feedback-comment-form";
    var csrf = document.createElement("input");
    csrf.type = "hidden";
    csrf.name = "csrfmiddlewaretoken";
    csrf.value = token;
    var label = document.createElement("label");
    label.htmlFor = "feedback-comment";
    label.textContent = words.commentLabel;
    var text = document.createElement("textarea");
    text.id = "feedback-comment";
    text.name = "comment";
    text.maxLength = 500;
    text.rows = 3;
    text.required = true;
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = words.commentButton;
    var para = document.createElement("p");
    para.appendChild(label);
    para.appendChild(document.createElement("br"));
    para.appendChild(text);
    form.appendChild(csrf);
    form.appendChild(para);
    form.appendChild(button);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      post(form).then(function (answer) {
        say(answer.message);
        if (answer.ok) form.remove();
        else button.disabled = false;
      });
    });
    return form;
  }

  answerForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var pressed = event.submitter || answerForm.querySelector("button[name=helpful]");
    var buttons = answerForm.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    post(answerForm, { name: pressed.name, value: pressed.value }).then(function (answer) {
      say(answer.message);
      if (!answer.ok) {
        buttons.forEach(function (b) { b.disabled = false; });
        return;
      }
      var token = answerForm.querySelector("[name=csrfmiddlewaretoken]").value;
      answerForm.replaceWith(answer.comment_url ? commentForm(answer.comment_url, token) : document.createElement("div"));
    });
  });
})();
