// "Copy address" buttons: copy the text of the field named by data-copy. Without JavaScript (or a clipboard)
// the buttons stay hidden and the address can still be selected in its read-only field.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.textContent = "Copied.";
      }, function () {
        field.select();
        if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected address.";
      });
    });
  });
})();
