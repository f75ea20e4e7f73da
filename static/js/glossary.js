// Glossary terms in an article: the first use of each term is a link to its glossary entry (that is what
// readers without JavaScript get). This file turns each into a disclosure button: pressing it (Enter or
// Space) shows the plain-language meaning right after the word, pressing it again or Escape hides it.
// Screen readers hear the button's state (aria-expanded) and find the meaning next in reading order.
// Every word shown comes from the page (data-* attributes), so it can be translated. No inline script.
(function () {
  "use strict";
  var count = 0;

  function disclosure(link, labels) {
    count += 1;
    var id = "glossary-definition-" + count;
    var wrap = document.createElement("span");
    wrap.className = "glossary-wrap";

    var button = document.createElement("button");
    button.type = "button";
    button.className = "glossary-button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    button.dataset.term = link.dataset.term;
    button.appendChild(document.createTextNode(link.textContent));
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " (" + labels.hint + ")";
    button.appendChild(hint);

    var box = document.createElement("span");
    box.className = "glossary-definition";
    box.id = id;
    box.hidden = true;
    var meaning = document.createElement("span");
    meaning.textContent = link.dataset.definition + " ";
    box.appendChild(meaning);
    var more = document.createElement("a");
    more.href = link.getAttribute("href");
    more.textContent = labels.more;
    var about = document.createElement("span");
    about.className = "visually-hidden";
    about.textContent = ": " + link.textContent;
    more.appendChild(about);
    box.appendChild(more);

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      box.hidden = !open;
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
        event.preventDefault();
      }
    });

    wrap.appendChild(button);
    wrap.appendChild(box);
    link.replaceWith(wrap);
  }

  document.querySelectorAll("[data-glossary]").forEach(function (text) {
    var labels = {
      more: text.dataset.labelMore || "More in the glossary",
      hint: text.dataset.labelHint || "show what it means"
    };
    text.querySelectorAll("a.glossary-term[data-definition]").forEach(function (link) {
      disclosure(link, labels);
    });
  });
})();
