// Reader tools: save pages in this browser, list them, copy or share a link, print.
//
// Privacy: the saved list lives in this browser's localStorage and is never sent anywhere. The saved
// pages page fetches one public index of every page's dates (the same file for every reader) and
// compares in the browser, so the server never learns which pages a reader saved.
// Every word shown comes from the page (data-* attributes and <template>s), so it can be translated.
// Without this file the buttons stay hidden and the e-mail link still works.
(function () {
  "use strict";
  var KEY = "cytokine-portal.saved-pages";
  var MAX_SAVED = 200;

  function storage() {
    try {
      var probe = KEY + ".probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off or full: the tools that need it stay hidden
    }
  }

  function loadSaved(store) {
    try {
      var list = JSON.parse(store.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (item) { return item && typeof item.path === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function keepSaved(store, list) {
    try {
      store.setItem(KEY, JSON.stringify(list.slice(0, MAX_SAVED)));
      return true;
    } catch (error) {
      return false;
    }
  }

  function say(box, text, link) {
    var status = box && box.querySelector("[data-status]");
    if (!status) return;
    status.textContent = text + (link ? " " : "");
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.appendChild(anchor);
    }
  }

  // A date "2026-03-10" as the page's language writes it, read as a calendar day (no time zone shift).
  function longDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!parts) return "";
    var day = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
    return day.toLocaleDateString(document.documentElement.lang || undefined, { year: "numeric", month: "long", day: "numeric" });
  }

  // --- the Save button on articles and fact sheets -------------------------------------------
  function setUpSaveButton(box, store) {
    var button = box.querySelector("[data-save-page]");
    if (!button || !store) return;
    var path = button.dataset.path;
    var label = button.querySelector("[data-label]");

    function isSaved() {
      return loadSaved(store).some(function (item) { return item.path === path; });
    }
    function show() {
      label.textContent = isSaved() ? button.dataset.labelRemove : button.dataset.labelSave;
    }

    button.addEventListener("click", function () {
      var others = loadSaved(store).filter(function (item) { return item.path !== path; });
      if (isSaved()) {
        if (keepSaved(store, others)) say(box, button.dataset.saidRemoved);
      } else {
        var entry = {
          path: path,
          title: button.dataset.title,
          kind: button.dataset.kind,
          revised: button.dataset.revised,
          reviewed: button.dataset.reviewed,
          savedAt: new Date().toISOString()
        };
        if (keepSaved(store, [entry].concat(others))) {
          say(box, button.dataset.saidSaved, { href: button.dataset.savedUrl, text: button.dataset.savedLink });
        } else {
          say(box, button.dataset.saidFailed);
        }
      }
      show();
    });
    show();
    button.hidden = false;
  }

  // --- copy link, the system share sheet, print -----------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      field.remove();
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  function setUpSharing(box) {
    var copy = box.querySelector("[data-copy-link]");
    if (copy) {
      copy.addEventListener("click", function () {
        copyText(copy.dataset.copyLink).then(
          function () { say(box, copy.dataset.saidCopied); },
          function () { say(box, copy.dataset.saidFailed); }
        );
      });
      copy.hidden = false;
    }
    var share = box.querySelector("[data-share-sheet]");
    if (share && typeof navigator.share === "function") {
      share.addEventListener("click", function () {
        navigator.share({ title: share.dataset.title, url: share.dataset.url }).catch(function () {
          // The reader closed the sheet: nothing to say.
        });
      });
      share.hidden = false;
    }
    var print = box.querySelector("[data-print]");
    if (print && typeof window.print === "function") {
      print.addEventListener("click", function () { window.print(); });
      print.hidden = false;
    }
  }

  // The index bucket of a saved page: FNV-1a (32 bits) of its slug's UTF-8 bytes, modulo the number of
  // buckets; the server computes the same (content/saved_index.py).
  function bucketOf(path, count) {
    var slug = path.split("/").filter(Boolean).pop() || "";
    var bytes = new TextEncoder().encode(slug);
    var value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i += 1) {
      value = Math.imul(value ^ bytes[i], 0x01000193) >>> 0;
    }
    return value % (Number(count) || 256);
  }

  // --- the Saved pages page -------------------------------------------------------------------
  function setUpSavedList(root, store) {
    var needsScript = root.querySelector("[data-needs-script]");
    if (!store) {
      var blocked = root.querySelector("[data-storage-off]");
      if (needsScript) needsScript.hidden = true;
      if (blocked) blocked.hidden = false;
      return;
    }
    var list = root.querySelector("[data-saved-list]");
    var empty = root.querySelector("[data-saved-empty]");
    var template = root.querySelector("#saved-page-template");
    if (needsScript) needsScript.hidden = true;

    function render(index) {
      var saved = loadSaved(store);
      list.textContent = "";
      empty.hidden = saved.length > 0;
      saved.forEach(function (item) {
        var now = index ? index[item.path] : undefined;
        var node = template.content.firstElementChild.cloneNode(true);
        var link = node.querySelector("[data-field=title]");
        link.href = item.path;
        link.textContent = (now && now.title) || item.title || item.path;
        node.querySelector("[data-field=kind]").textContent = (now && now.kind) || item.kind || "";
        fill(node, "reviewed", now ? now.reviewed : item.reviewed);
        fill(node, "saved", item.savedAt);
        if (index && !now) {
          node.querySelector("[data-gone]").hidden = false;
        } else if (now && (now.revised || "") !== (item.revised || "")) {
          node.querySelector("[data-updated]").hidden = false;
          fill(node, "revised", now.revised);
        }
        var remove = node.querySelector("[data-remove]");
        remove.querySelector("[data-field=remove-title]").textContent = link.textContent;
        remove.addEventListener("click", function () {
          keepSaved(store, loadSaved(store).filter(function (other) { return other.path !== item.path; }));
          render(index);
          say(root, root.dataset.saidRemoved);
          var heading = root.querySelector("h1");
          if (heading) heading.focus(); // the pressed button is gone: keep the reader's place sensible
        });
        list.appendChild(node);
      });
    }

    function fill(node, name, iso) {
      var element = node.querySelector("time[data-field=" + name + "]");
      if (!element) return;
      element.dateTime = (iso || "").slice(0, 10);
      element.textContent = longDate(iso);
      if (!iso && element.parentElement) element.parentElement.hidden = true;
    }

    render(null);
    // Only the index buckets the saved pages fall in: each is the same file for every reader and lists
    // about 1/256 of all pages, so the request says nothing about which page was saved.
    var buckets = {};
    loadSaved(store).forEach(function (item) { buckets[bucketOf(item.path, root.dataset.buckets)] = true; });
    var wanted = Object.keys(buckets);
    if (!wanted.length) return;
    Promise.all(wanted.map(function (bucket) {
      var url = root.dataset.bucketUrl.replace(/0\.json$/, bucket + ".json");
      return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; });
    }))
      .then(function (answers) {
        var index = {};
        for (var i = 0; i < answers.length; i += 1) {
          if (!answers[i] || !answers[i].pages) return; // one bucket missing: say nothing rather than "gone"
          Object.keys(answers[i].pages).forEach(function (path) { index[path] = answers[i].pages[path]; });
        }
        render(index);
      })
      .catch(function () { /* offline: the list shows what was saved, without news of revisions */ });
  }

  var store = storage();
  var box = document.querySelector("[data-reader-tools]");
  if (box) {
    setUpSaveButton(box, store);
    setUpSharing(box);
  }
  var savedRoot = document.querySelector("[data-saved-pages]");
  if (savedRoot) setUpSavedList(savedRoot, store);
})();
