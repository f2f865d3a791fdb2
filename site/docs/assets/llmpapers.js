/* llmpapers: copy buttons for BibTeX and CSL-JSON, and the filters, sorting and download of the all-entries page.
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
  function nameTheSearchDialog() {  /* the theme's search dialog has no accessible name */
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the bibliography");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameTheSearchDialog);
  else nameTheSearchDialog();

  function copyButtonsForOpen() {
    document.querySelectorAll("details.lp-bib[open]").forEach(addCopyButton);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", copyButtonsForOpen);
  else copyButtonsForOpen();

  /* ---- Filters, sorting and download of the all-entries page ---------------------------------- */
  /* One source of data: the table itself. Each row carries what the filters need in data-* attributes
   * (written escaped by the template); nothing is fetched to filter. Every choice is kept in the URL. */

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
    if (!table || !form || !status) return;
    var body = table.tBodies[0];
    var text = document.getElementById("lp_q");
    var from = document.getElementById("lp_from");
    var to = document.getElementById("lp_to");
    var code = document.getElementById("lp_code");
    var pdf = document.getElementById("lp_pdf");
    var download = document.getElementById("lp_download");
    var facets = ["category", "type", "venue"];

    var items = Array.prototype.map.call(body.rows, function (row, index) {
      var year = parseInt(row.getAttribute("data-y"), 10);
      return {
        row: row, index: index, id: row.getAttribute("data-id"),
        category: (row.getAttribute("data-c") || "").split(" "),
        type: [row.getAttribute("data-k")], venue: [row.getAttribute("data-v")],
        year: isNaN(year) ? null : year,
        code: row.getAttribute("data-code") === "1", pdf: row.getAttribute("data-pdf") === "1",
        text: fold(row.getAttribute("data-text") || ""),
        title: fold(row.cells[0].textContent)
      };
    });

    function boxes(name) {
      return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
    }
    function chosen(name) {
      return boxes(name).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    }

    /* ---- sorting ---- */
    var sort = { key: "", desc: false };  /* "": the page's own order, newest first */
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells).filter(function (th) {
      return th.hasAttribute("data-sort");
    });
    headers.forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lp-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        var current = sort.key || "year", desc = sort.key ? sort.desc : true;  /* the page's order: newest first */
        sort = { key: key, desc: current === key ? !desc : key === "year" };
        render();
      });
    });
    function compare(a, b) {
      var k = sort.key, x, y;
      if (k === "year") {  /* undated last, whichever the direction */
        if (a.year === null || b.year === null) return (a.year === null) - (b.year === null);
        x = a.year; y = b.year;
      } else if (k === "title") { x = a.title; y = b.title; }
      else { x = fold(a[k][0] || "\uffff"); y = fold(b[k][0] || "\uffff"); }
      var c = x < y ? -1 : x > y ? 1 : 0;
      return (sort.desc ? -c : c) || a.index - b.index;
    }

    /* ---- reading and writing the URL ---- */
    var params = new URLSearchParams(window.location.search);
    text.value = params.get("text") || "";
    from.value = params.get("from") || "";
    to.value = params.get("to") || "";
    code.checked = params.get("code") === "1";
    pdf.checked = params.get("pdf") === "1";
    facets.forEach(function (name) {
      var wanted = (params.get(name) || "").split(",").filter(Boolean);
      boxes(name).forEach(function (b) { b.checked = wanted.indexOf(b.value) !== -1; });
    });
    var s = params.get("sort") || "";
    if (s) { sort.desc = s.charAt(0) === "-"; sort.key = s.replace(/^-/, ""); }

    function writeUrl() {
      var query = new URLSearchParams();
      if (text.value) query.set("text", text.value);
      facets.forEach(function (name) { var c = chosen(name); if (c.length) query.set(name, c.join(",")); });
      if (from.value) query.set("from", from.value);
      if (to.value) query.set("to", to.value);
      if (code.checked) query.set("code", "1");
      if (pdf.checked) query.set("pdf", "1");
      if (sort.key) query.set("sort", (sort.desc ? "-" : "") + sort.key);
      var search = query.toString();
      window.history.replaceState(null, "", (search ? "?" + search : window.location.pathname) + window.location.hash);
    }

    var visible = [];
    function render() {
      var terms = fold(text.value).split(" ").filter(Boolean);
      var lo = parseInt(from.value, 10), hi = parseInt(to.value, 10);
      var wanted = {};
      facets.forEach(function (name) { wanted[name] = chosen(name); });
      visible = [];
      items.forEach(function (item) {
        var ok = facets.every(function (name) {
            return !wanted[name].length || item[name].some(function (v) { return wanted[name].indexOf(v) !== -1; });
          }) &&
          (isNaN(lo) || (item.year !== null && item.year >= lo)) &&
          (isNaN(hi) || (item.year !== null && item.year <= hi)) &&
          (!code.checked || item.code) && (!pdf.checked || item.pdf) &&
          terms.every(function (t) { return item.text.indexOf(t) !== -1; });
        if (item.row.hidden === ok) item.row.hidden = !ok;
        if (ok) visible.push(item);
      });
      var order = sort.key ? items.slice().sort(compare) : items;
      var fragment = document.createDocumentFragment();
      order.forEach(function (item) { fragment.appendChild(item.row); });
      body.appendChild(fragment);
      headers.forEach(function (th) {
        var key = th.getAttribute("data-sort");
        var on = sort.key ? key === sort.key : key === "year";
        if (on) th.setAttribute("aria-sort", sort.key && !sort.desc ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      facets.forEach(function (name) {
        var n = wanted[name].length;
        document.querySelector("#lp_" + name + " .lp-chosen").textContent = n ? "(" + n + ")" : "";
      });
      status.textContent = visible.length === items.length
        ? "Showing all " + items.length + " entries."
        : "Showing " + visible.length + " of " + items.length + " entries.";
      download.textContent = "Download these " + visible.length + " as BibTeX";
      download.disabled = visible.length === 0;
      writeUrl();
    }

    download.addEventListener("click", function () {
      var ids = {};
      visible.forEach(function (item) { ids[item.id] = true; });
      fetch(download.getAttribute("data-src")).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      }).then(function (bib) {
        var kept = bib.split(/\n(?=@)/).filter(function (block) {
          var m = /^@(\w+)\s*\{\s*([^,\s]+)/.exec(block);
          return m && (m[1].toLowerCase() === "comment" || ids[m[2]]);
        });
        var blob = new Blob([kept.join("\n").replace(/\n*$/, "\n")], { type: "application/x-bibtex" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "llmpapers-" + visible.length + ".bib";
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }).catch(function () {
        status.textContent += " (The BibTeX file could not be fetched.)";
      });
    });

    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", debounce(render, 120));
    form.addEventListener("change", render);
    form.addEventListener("reset", function () {
      sort = { key: "", desc: false };
      window.setTimeout(render, 0);
    });
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initFilters);
  } else {
    initFilters();
  }
})();
