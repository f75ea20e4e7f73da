// The donate button says what will happen ("Give $50 monthly"). Without this file it says "Give now",
// and "Other amount" still works: CSS shows the field once it is chosen. The words come from the page
// (data-give-once, data-give-monthly: "{sum}" stands for the amount), in the reader's language.
(function () {
  "use strict";
  var form = document.querySelector("[data-donate]");
  if (!form) return;
  var button = form.querySelector("[data-give-button]");
  var other = form.querySelector("[name=other_amount]");
  var symbol = form.getAttribute("data-currency") || "$";

  function amount() {
    var chosen = form.querySelector("[name=preset_amount]:checked");
    if (!chosen) return "";
    if (chosen.value !== "other") return symbol + Number(chosen.value).toLocaleString("en-US");
    var typed = (other.value || "").replace(/[^0-9.]/g, "");
    if (!typed || isNaN(Number(typed))) return "";
    var value = Number(typed);
    return symbol + (Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2));
  }

  function update() {
    var sum = amount();
    var monthly = form.querySelector("[name=frequency]:checked");
    var words = monthly && monthly.value === "monthly" ? button.dataset.giveMonthly : button.dataset.giveOnce;
    button.textContent = sum && words ? words.replace("{sum}", sum) : button.dataset.giveNow || button.textContent;
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
