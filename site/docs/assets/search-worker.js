/* The search worker behind the theme's search box (site/overrides/main.html points the theme at it).
 *
 * Material for MkDocs lets a site replace its search worker as long as the replacement answers the same
 * messages: SETUP (0) with the index the page fetched, READY (1), QUERY (2) with what was typed, RESULT (3)
 * with the matching documents grouped by page. The theme's own worker first builds a Lunr index in the
 * browser, which takes seconds at tens of thousands of works; this one is ready once the index arrived and
 * answers each query by a scan over the documents' lower-cased text, a few milliseconds at 50,000 works.
 *
 * Matching: every word of the query must begin a word of the document (its title, tags or text), so
 * "spec deco" finds "Speculative Decoding" and "kwon" finds Woosuk Kwon; accents and case are ignored,
 * Lunr's operators (+word, -word, word*, title:word, ~2, ^3) are reduced to the word, and a word in the
 * title counts for more than one in the tags (authors, names), which counts for more than one in the text.
 * Results are sorted by that score, then by the index's order (pages, then works newest first).
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const HIGHLIGHTED = 100; // pages whose matches are marked; the theme renders the rest only on scrolling
const WEIGHT = { title: 10, tags: 4, text: 1 };
let documents = [];
let articles = new Map(); // a page's own document (its location has no #), for results found in a section

/* A text reduced to what matching compares: lower case, no accents, words separated by single spaces. */
function fold(text) {
  let s = String(text || "").replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ");
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return " " + s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
}

function setup(index) {
  documents = (index.docs || []).map((doc, order) => ({
    doc,
    order,
    title: fold(doc.title),
    tags: fold((doc.tags || []).join(" ")),
    text: fold(doc.text),
  }));
  articles = new Map(documents.filter(e => !e.doc.location.includes("#")).map(e => [e.doc.location, e]));
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

function score(entry, words) {
  let total = 0;
  for (const word of words) {
    let best = 0;
    for (const field of ["title", "tags", "text"]) {
      const at = entry[field].indexOf(" " + word);
      if (at >= 0) {
        const whole = entry[field][at + word.length + 1] === " ";
        best = Math.max(best, WEIGHT[field] * (whole ? 2 : 1));
      }
    }
    if (!best) return 0;
    total += best;
  }
  return total * (entry.doc.boost || 1);
}

/* HTML with each word of the query marked where it begins a word; tags and entities are left alone. */
function highlight(html, pattern) {
  return String(html || "")
    .split(/(<[^>]*>|&[#\w]+;)/)
    .map((part, i) => (i % 2 ? part : part.replace(pattern, "$1<mark>$2</mark>")))
    .join("");
}

function search(query) {
  const words = terms(query);
  if (!words.length) return { items: [] };
  const pages = new Map();
  for (const entry of documents) {
    const s = score(entry, words);
    if (!s) continue;
    const path = entry.doc.location.split("#")[0];
    let page = pages.get(path);
    if (!page) pages.set(path, (page = { score: 0, order: entry.order, hits: [] }));
    page.score = Math.max(page.score, s);
    page.hits.push({ entry, score: s });
  }
  const escaped = words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + escaped.join("|") + ")", "giu");
  const found = Object.fromEntries(words.map(w => [w, true]));
  const ranked = [...pages.entries()].sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order);
  const items = ranked.map(([path, page], rank) => {
    const hits = page.hits.sort((a, b) => b.score - a.score || a.entry.order - b.entry.order);
    const own = hits.findIndex(h => h.entry.doc.location === path);
    if (own > 0) hits.unshift(...hits.splice(own, 1)); // the theme shows a page first, then its sections
    else if (own < 0 && articles.has(path)) hits.unshift({ entry: articles.get(path), score: page.score });
    const mark = rank < HIGHLIGHTED;
    return hits.map(({ entry, score: s }) => ({
      location: entry.doc.location,
      title: mark ? highlight(entry.doc.title, pattern) : entry.doc.title,
      text: mark ? highlight(entry.doc.text, pattern) : entry.doc.text,
      tags: entry.doc.tags,
      score: s,
      terms: found,
    }));
  });
  return { items };
}

addEventListener("message", event => {
  const message = event.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    postMessage({ type: RESULT, data: search(message.data) });
  }
});
