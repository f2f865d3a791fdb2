/* The search worker behind the theme's search box (site/overrides/main.html points the theme at it).
 *
 * Material for MkDocs lets a site replace its search worker as long as the replacement answers the same
 * messages: SETUP (0) with the theme's index of the hand-written pages, READY (1), QUERY (2) with what was
 * typed, RESULT (3) with the matching documents grouped by page. The theme's own worker first builds a Lunr
 * index in the browser, which takes seconds at tens of thousands of works. This one fetches the list of
 * works the build wrote (search/works.txt.gz, publish/search.py) as soon as it starts, while the page is
 * still loading. Each field (title, tags, text) of all documents is one folded string, so a query is a few
 * indexOf scans: milliseconds at 50,000 works, with nothing to build first but those three strings.
 *
 * Matching: every word of the query must begin a word of the document (its title, tags or text), so
 * "spec deco" finds "Speculative Decoding" and "kwon" finds Woosuk Kwon; accents and case are ignored,
 * Lunr's operators (+word, -word, word*, title:word, ~2, ^3) are reduced to the word, and a word in the
 * title counts for more than one in the tags (authors, names), which counts for more than one in the text.
 * Results are sorted by that score, then by the index's order (pages first, then works newest first).
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const SHOWN = 100; // pages given their text and marks; further results carry only their title
const WEIGHT = { title: 10, tags: 4, text: 1 };
const ROOT = new URL("..", self.location.href); // this file is assets/search-worker.js
const WORKS = fetch(new URL("search/works.txt.gz", ROOT))
  .then(unpacked)
  .then(sections)
  .catch(() => ({})); // file:// or no list: the hand-written pages are still searched

/* The list's text. It is gzipped (a quarter of the size), unpacked by the browser as it arrives; a server
   that sent it with Content-Encoding has had it unpacked already. */
function unpacked(response) {
  if (!response.ok) return "";
  const encoded = /gzip/.test(response.headers.get("Content-Encoding") || "");
  return new Response(encoded ? response.body : response.body.pipeThrough(new DecompressionStream("gzip"))).text();
}

let pages = []; // the theme's documents of the hand-written pages: {location, title, text, tags, boost}
let works = { count: 0 }; // the works' columns (search/works.txt.gz), each with where its lines start
let total = 0; // documents: pages first (0 … pages.length - 1), then works
let articles = new Map(); // a page's own document number (its location has no #), for results in a section
let fields = {}; // per field, every document's folded text in one string, and where each one starts
let pending = null;

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/* Text reduced to what matching compares: no accents, lower case, letters and digits only, words between
   single spaces (line breaks kept). publish/search.py folds the works' text the same way. */
function fold(text) {
  let s = String(text);
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return s.toLowerCase().replace(/[^\p{L}\p{N}\n]+/gu, " ");
}

/* Where each line of a string starts (lines end with a line break). */
function lineStarts(text, count) {
  const starts = new Int32Array(count + 1);
  for (let i = 1, at = 0; i <= count; i++) {
    at = text.indexOf("\n", at) + 1 || text.length + 1;
    starts[i] = at;
  }
  return starts;
}

function line(column, k) {
  return column.text.slice(column.starts[k], column.starts[k + 1] - 1);
}

/* One string per field: every document's folded text on a line of its own, between spaces. The works'
   lines come folded by the build (search/works.txt.gz), the theme's few pages are folded here. */
function column(values, folded) {
  let haystack = values.length ? " " + fold(values.map(v => v.replace(/\n/g, " ")).join(" \n ")) + " " : "";
  if (folded) haystack = haystack ? haystack + "\n" + folded : folded;
  return { haystack, starts: lineStarts(haystack + "\n", total).subarray(0, total) };
}

/* The list's header and sections (publish/search.py): a JSON header, then ids, titles and texts, a line
   per work, then the three fields folded; U+001E between them. */
function sections(text) {
  const parts = text ? text.split("\u001e") : [];
  const header = parts.length === 7 ? JSON.parse(parts[0]) : {};
  if (header.format !== "llmpapers-works 1") return {};
  const [ids, titles, texts, title, tags, body] = parts.slice(1);
  return { count: header.count, ids, titles, texts, folded: { title, tags, text: body } };
}

function setup(index, list) {
  pages = (index.docs || []).map(doc => ({ ...doc, tags: doc.tags || [] }));
  const count = list.count || 0;
  works = { count };
  for (const name of ["ids", "titles", "texts"]) {
    const text = (list[name] || "") + "\n";
    works[name] = { text, starts: lineStarts(text, count) };
  }
  total = pages.length + count;
  const plain = html => String(html || "").replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ");
  const folded = count ? list.folded : {};
  fields = {
    title: column(pages.map(d => plain(d.title)), folded.title),
    tags: column(pages.map(d => plain(d.tags.join(" "))), folded.tags),
    text: column(pages.map(d => plain(d.text)), folded.text),
  };
  articles = new Map();
  pages.forEach((doc, n) => doc.location.includes("#") || articles.set(doc.location, n));
}

function locationAt(n) {
  return n < pages.length ? pages[n].location : `works/${line(works.ids, n - pages.length)}/`;
}

/* Document ``n``: one of the theme's, or a work made from its lines (plain text: ``plain`` is set). */
function documentAt(n) {
  if (n < pages.length) return pages[n];
  const k = n - pages.length;
  const location = `works/${line(works.ids, k)}/`;
  return { location, title: line(works.titles, k), text: line(works.texts, k), tags: [], plain: true };
}

/* The document a position of a field's string belongs to. */
function owner(starts, at) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/* Each document where ``word`` begins a word, with its best weight: title over tags over text, a whole
   word twice a prefix. */
function occurrences(word) {
  const found = new Map();
  for (const [name, { haystack, starts }] of Object.entries(fields)) {
    const needle = " " + word;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const next = haystack[at + needle.length];
      const weight = WEIGHT[name] * (next === " " ? 2 : 1);
      const n = owner(starts, at);
      if ((found.get(n) || 0) < weight) found.set(n, weight);
    }
  }
  return found;
}

/* The words of a query, folded, without Lunr's operators. */
function terms(query) {
  const words = [];
  for (let part of String(query).split(/\s+/)) {
    part = part.replace(/^[+-]/, "").replace(/^(title|text|tags):/, "").replace(/[~^]\d*$/, "").replace(/\*/g, "");
    for (const word of fold(part).trim().split(" ")) if (word) words.push(word);
  }
  return [...new Set(words)];
}

/* HTML with each word of the query marked where it begins a word; tags and entities are left alone. */
function highlight(html, pattern) {
  return String(html || "")
    .split(/(<[^>]*>|&[#\w]+;)/)
    .map((part, i) => (i % 2 ? part : part.replace(pattern, "$1<mark>$2</mark>")))
    .join("");
}

function item(n, score, terms, pattern, shown) {
  const doc = documentAt(n);
  const title = doc.plain ? escapeHTML(doc.title) : doc.title;
  if (!shown) return { location: doc.location, title, text: "", score, terms };
  const text = doc.plain ? doc.text.split("\u001f").map(part => `<p>${escapeHTML(part)}</p>`).join("") : doc.text;
  return {
    location: doc.location,
    title: highlight(title, pattern),
    text: highlight(text, pattern),
    tags: doc.tags.length ? doc.tags.map(escapeHTML) : undefined,
    score,
    terms,
  };
}

function search(query) {
  const words = terms(query);
  if (!words.length) return { items: [] };
  const found = words.map(occurrences).sort((a, b) => a.size - b.size);
  const pages = new Map();
  for (const [n, first] of found[0]) {
    let score = first;
    for (const other of found.slice(1)) {
      const weight = other.get(n);
      if (!weight) {
        score = 0;
        break;
      }
      score += weight;
    }
    if (!score) continue;
    const location = locationAt(n);
    if (n < pages.length) score *= pages[n].boost || 1;
    const path = location.split("#")[0];
    let page = pages.get(path);
    if (!page) pages.set(path, (page = { score: 0, order: n, hits: [] }));
    page.score = Math.max(page.score, score);
    page.order = Math.min(page.order, n);
    page.hits.push({ n, score });
  }
  const escaped = words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + escaped.join("|") + ")", "giu");
  const terms_ = Object.fromEntries(words.map(w => [w, true]));
  const ranked = [...pages.entries()].sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order);
  const items = ranked.map(([path, page], rank) => {
    const hits = page.hits.sort((a, b) => b.score - a.score || a.n - b.n);
    const own = hits.findIndex(h => locationAt(h.n) === path);
    if (own > 0) hits.unshift(...hits.splice(own, 1)); // the theme shows a page first, then its sections
    else if (own < 0 && articles.has(path)) hits.unshift({ n: articles.get(path), score: page.score });
    return hits.map(h => item(h.n, h.score, terms_, pattern, rank < SHOWN));
  });
  return { items };
}

/* Queries come at every key press; when several wait, only the newest is answered. */
function answer() {
  const query = pending;
  pending = null;
  if (query !== null) postMessage({ type: RESULT, data: search(query) });
}

addEventListener("message", async event => {
  const message = event.data;
  if (message.type === SETUP) {
    setup(message.data, await WORKS);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const waiting = pending !== null;
    pending = message.data;
    if (!waiting) setTimeout(answer, 0);
  }
});
