// Review buttons never discard unsaved edits. They post a separate form (HTML drops a form nested in the
// change form), so text typed into the page would be lost; when the page has unsaved changes, the button
// says so and nothing is sent. Without this file the server still refuses nothing it should not.
(function () {
  "use strict";
  var changeForm = document.querySelector("#content-main form[id$='_form']");
  // Every button that posts a form outside the change form and leaves the page: review steps, revoking a
  // preview link. (Making a preview link opens a new tab and leaves this page as it is.)
  var buttons = document.querySelectorAll("button[form='transition-form'], button[form='preview-revoke-form']");
  if (!changeForm || !buttons.length) return;

  function snapshot() {
    var data = new FormData(changeForm);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  var saved = snapshot();
  // Widgets that fill themselves in after load (slugs, autocompletes) are not the editor's changes.
  window.addEventListener("load", function () { saved = snapshot(); });

  var warning = document.createElement("p");
  warning.className = "errornote unsaved-warning";
  warning.setAttribute("role", "alert");
  warning.tabIndex = -1;
  warning.hidden = true;
  warning.textContent = "You have unsaved changes on this page. Press “Save and continue editing” first, " +
    "then take the review step. Nothing has been sent, and your text is still here.";
  buttons[0].parentNode.insertBefore(warning, buttons[0]);

  buttons.forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (snapshot() === saved) return;
      event.preventDefault();
      warning.hidden = false;
      warning.focus();
    });
  });
})();
