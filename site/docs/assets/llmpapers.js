/* llmpapers: copy buttons for BibTeX snippets, and the filters of the all-entries page.
 *
 * Pages are complete without this script. It only reads data through textContent, value and JSON, and
 * writes text through textContent: nothing from the database is ever parsed as HTML.
 */
(function () {
  "use strict";

  /* ---- BibTeX copy ---------------------------------------------------------------------------- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        if (document.execCommand("copy")) resolve(); else reject(new Error("copy refused"));
      } catch (err) {
        reject(err);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  function addCopyButton(details) {
    var pre = details.querySelector("pre");
    if (!pre || details.querySelector(".lp-copy")) return;
    var what = (details.querySelector("summary") || {}).textContent || "BibTeX";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "lp-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy " + what + " to the clipboard");
    var status = document.createElement("span");  /* read out by screen readers when it changes */
    status.className = "lp-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copyText(pre.textContent).then(function () {
        button.textContent = "Copied";
        status.textContent = what + " copied to the clipboard";
        button.classList.add("lp-copied");
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(pre);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        button.textContent = "Selected: press Ctrl+C";
        status.textContent = what + " selected: press Ctrl+C to copy";
      });
      window.setTimeout(function () {
        button.textContent = "Copy";
        status.textContent = "";
        button.classList.remove("lp-copied");
      }, 2500);
    });
    details.insertBefore(button, pre);
    details.insertBefore(status, pre);
  }

  document.addEventListener("toggle", function (event) {
    var el = event.target;
    if (el.matches && el.matches("details.lp-bib") && el.open) addCopyButton(el);
  }, true);
  function copyButtonsForOpen() {
    document.querySelectorAll("details.lp-bib[open]").forEach(addCopyButton);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", copyButtonsForOpen);
  else copyButtonsForOpen();

  /* ---- Filters of the all-entries page -------------------------------------------------------- */

  function fold(text) {  /* accents dropped, and "KV-cache", "KV cache" and "kv_cache" alike */
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-\u2010-\u2015_/]+/g, " ").replace(/\s+/g, " ").trim();
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, ms);
    };
  }

  function initFilters() {
    var table = document.getElementById("lp_all");
    var form = document.getElementById("lp_filters");
    var status = document.getElementById("lp_status");
    if (!table || !form || !status || !window.fetch) return;
    var controls = {
      text: document.getElementById("lp_q"),
      category: document.getElementById("lp_category"),
      type: document.getElementById("lp_type"),
      venue: document.getElementById("lp_venue"),
      from: document.getElementById("lp_from"),
      to: document.getElementById("lp_to")
    };

    fetch(table.getAttribute("data-src")).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      var rows = {};
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        rows[row.getAttribute("data-id")] = row;
      });
      var items = [];
      data.entries.forEach(function (e) {
        if (!rows[e.id]) return;
        var words = [e.t, e.s, e.v, e.y || "", e.k].concat(e.a, e.l);
        items.push({ row: rows[e.id], e: e, text: fold(words.join(" \u0001 ")) });
      });

      var params = new URLSearchParams(window.location.search);
      Object.keys(controls).forEach(function (name) {
        if (params.has(name)) controls[name].value = params.get(name);
      });

      function apply() {
        var terms = fold(controls.text.value).split(/\s+/).filter(Boolean);
        var category = controls.category.value;
        var type = controls.type.value;
        var venue = controls.venue.value;
        var from = parseInt(controls.from.value, 10);
        var to = parseInt(controls.to.value, 10);
        var shown = 0;
        items.forEach(function (item) {
          var e = item.e;
          var ok = (!category || e.c.indexOf(category) !== -1) &&
            (!type || e.k === type) &&
            (!venue || e.v === venue) &&
            (isNaN(from) || (e.y !== null && e.y >= from)) &&
            (isNaN(to) || (e.y !== null && e.y <= to)) &&
            terms.every(function (t) { return item.text.indexOf(t) !== -1; });
          if (item.row.hidden === ok) item.row.hidden = !ok;
          if (ok) shown += 1;
        });
        status.textContent = shown === items.length
          ? "Showing all " + items.length + " entries."
          : "Showing " + shown + " of " + items.length + " entries.";
        var query = new URLSearchParams();
        Object.keys(controls).forEach(function (name) {
          if (controls[name].value) query.set(name, controls[name].value);
        });
        var search = query.toString();
        window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
      }

      form.hidden = false;
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("input", debounce(apply, 120));
      form.addEventListener("change", apply);
      form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
      apply();
    }).catch(function () {
      status.textContent += " (The filters could not load their data; the full list is shown.)";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initFilters);
  } else {
    initFilters();
  }
})();
