// The search page: reads ?q= and the filters from the address, searches
// the site's Pagefind index (pagefind/, on this site), and lists the
// results with an excerpt where the words matched. Queries are folded as
// the index's extra word forms are (src/search/normalise.rs): keep the two
// in step.

const form = document.querySelector("form.search");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const input = document.getElementById("search-q");
const selects = ["tag", "author", "source", "year", "sort"].map((n) => form.elements[n]);
const PAGE = 10;
const arabicDigits = form.dataset.digits !== "0";

// Tatweel and tashkeel out; hamza seats, alef maqsura, taa marbuta folded.
export function fold(word) {
  let out = "";
  for (const c of word.normalize("NFC")) {
    const u = c.codePointAt(0);
    if (u === 0x640 || (u >= 0x64b && u <= 0x65f) || u === 0x670 || (u >= 0x6d6 && u <= 0x6ed)) continue;
    if ("أإآٱ".includes(c)) out += "ا";
    else if (c === "ى" || c === "ئ") out += "ي";
    else if (c === "ؤ") out += "و";
    else if (c === "ة") out += "ه";
    else if (u >= 0x660 && u <= 0x669) out += String(u - 0x660);
    else if (/[\p{L}\p{N}]/u.test(c)) out += c.toLowerCase();
  }
  return out;
}

// Without its prefixes in the order Arabic writes them: a conjunction
// (و ف), a preposition (ب ك ل), the article.
export function core(folded) {
  const len = (s) => [...s].length;
  let word = folded;
  if ("وف".includes(word[0]) && len(word) - 1 >= 3) word = word.slice(1);
  if (word.startsWith("لل") && len(word) - 2 >= 2) return word.slice(2);
  if ("بكل".includes(word[0])) {
    const rest = word.slice(1);
    if (rest.startsWith("ال") && len(rest) - 2 >= 2) return rest.slice(2);
    if (len(rest) >= 3) return rest;
  }
  return word.startsWith("ال") && len(word) - 2 >= 2 ? word.slice(2) : word;
}

const terms = (q) => q.split(/\s+/).map((w) => core(fold(w))).filter(Boolean);

function digits(s) {
  return arabicDigits ? String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + +d)) : String(s);
}

// The plural category, as src/strings.rs has it.
function category(n) {
  if (/^ar\b/i.test(form.dataset.lang)) {
    const r = n % 100;
    return n === 0 ? "zero" : n === 1 ? "one" : n === 2 ? "two" : r >= 3 && r <= 10 ? "few" : r >= 11 ? "many" : "other";
  }
  return n === 0 ? "zero" : n === 1 ? "one" : "other";
}

const counted = (n) => form.dataset["count" + category(n).replace(/^./, (c) => c.toUpperCase())].replace("{n}", digits(n));

// The index comes in parts of a thousand articles or so, numbered from the
// oldest (src/search/mod.rs): each is a Pagefind index of its own, loaded
// as its own module, and a search asks them all. `load` gives a promise
// of each part, the newest first, so that a search can use the first
// parts before the last are loaded.
let parts;
async function load() {
  parts ??= (async () => {
    const base = new URL(form.dataset.pagefind, location.href);
    const { parts: count } = await (await fetch(new URL("parts.json", base))).json();
    return Array.from({ length: count }, async (_, i) => {
      const pf = await import(new URL(`${count - 1 - i}/pagefind.js`, base).href);
      // On the page itself: a worker would cost a request and its own
      // start before the first results, for searches that take
      // milliseconds.
      await pf.options({ noWorker: true });
      await pf.init();
      return pf;
    });
  })();
  return parts;
}

// Every part's filter values with their counts added up.
async function allFilters() {
  const all = {};
  const each = (await load()).map(async (pf) => (await pf).filters());
  for (const filters of await Promise.all(each)) {
    for (const [name, values] of Object.entries(filters)) {
      all[name] ??= {};
      for (const [value, n] of Object.entries(values)) all[name][value] = (all[name][value] ?? 0) + n;
    }
  }
  return all;
}

// The results of every part: newest first, the parts' own order, or by
// score for the best match. Newest first, the newest part is asked
// alone first: when it holds a first page, which no later part can
// change, `early` is given it at once; then the other parts are asked
// together. On a large archive most searches show their first page after
// one part instead of all (asked all together, the newest part would
// answer among the last); a rarer word costs one round more.
async function searchAll(query, options, early) {
  const all = await load();
  const ask = async (pf) => (await (await pf).search(query, options)).results;
  if (!options.sort.date) {
    const results = (await Promise.all(all.map(ask))).flat();
    return results.sort((a, b) => b.score - a.score);
  }
  if (!all.length) return [];
  const results = await ask(all[0]);
  if (results.length >= PAGE && all.length > 1) await early(results.slice(0, PAGE), 1);
  results.push(...(await Promise.all(all.slice(1).map(ask))).flat());
  return results;
}

// Until the filters' lists are filled (from every part), the filters
// chosen are those of the address.
let filled = false;
const chosen = (s) => (filled || s.name === "sort" ? s.value : (new URLSearchParams(location.search).get(s.name) ?? ""));

async function fillFilters() {
  const filters = await allFilters();
  const wanted = new URLSearchParams(location.search);
  for (const name of ["tag", "author", "source", "year"]) {
    const select = form.elements[name];
    const values = Object.entries(filters[name] ?? {});
    values.sort(name === "year" ? (a, b) => b[0].localeCompare(a[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0], form.dataset.lang));
    for (const [value] of values) {
      const option = new Option(name === "year" ? digits(value) : value, value);
      select.append(option);
    }
    select.value = wanted.get(name) ?? "";
  }
  filled = true;
}

// A window of the body around the first matching word, matches marked.
function excerpt(body, wanted) {
  const words = body.split(" ");
  const hit = (w) => {
    const c = core(fold(w));
    return c && wanted.some((t) => c.startsWith(t));
  };
  const first = words.findIndex(hit);
  const start = Math.max(0, first - 12);
  const shown = words.slice(start, start + 36);
  const p = document.createElement("p");
  p.className = "item-summary";
  if (start > 0) p.append("… ");
  shown.forEach((w, i) => {
    if (i) p.append(" ");
    if (first >= 0 && hit(w)) {
      const mark = document.createElement("mark");
      mark.textContent = w;
      p.append(mark);
    } else p.append(w);
  });
  if (start + shown.length < words.length) p.append(" …");
  return p;
}

async function show(result, wanted) {
  const data = await result.data();
  const meta = data.meta;
  const li = document.createElement("li");
  li.className = "item";
  const h = document.createElement("h2");
  h.className = "item-title";
  if (meta.lang) h.lang = meta.lang;
  h.dir = "auto";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = meta.title;
  h.append(a);
  const info = document.createElement("p");
  info.className = "item-meta";
  const time = document.createElement("span");
  time.textContent = meta.date;
  info.append(time);
  if (meta.source) {
    const source = document.createElement("bdi");
    source.className = "source";
    source.textContent = meta.source;
    info.append(" ", source);
  }
  const body = data.content.slice(0, Number(meta.b) || data.content.length);
  li.append(h, info, excerpt(body, wanted));
  return li;
}

let generation = 0;
let pending = [];
let wantedTerms = [];

async function showMore() {
  const mine = generation;
  const next = pending.splice(0, PAGE);
  const items = await Promise.all(next.map((r) => show(r, wantedTerms)));
  if (mine !== generation) return;
  list.append(...items);
  more.hidden = pending.length === 0;
}

function syncAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const s of selects) if (chosen(s)) params.set(s.name, chosen(s));
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function search() {
  const mine = ++generation;
  syncAddress();
  const q = terms(input.value);
  const filters = {};
  for (const s of selects.slice(0, 4)) if (chosen(s)) filters[s.name] = chosen(s);
  if (!q.length && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    finished();
    return;
  }
  let found;
  let shown = 0;
  const early = async (first, answered) => {
    if (mine !== generation) return;
    pending = first.slice();
    wantedTerms = q;
    more.hidden = true;
    list.replaceChildren();
    await showMore();
    shown = first.length;
    document.body.dataset.firstPageAfter = String(answered);
  };
  try {
    const sort = form.elements.sort.value === "relevance" ? {} : { date: "desc" };
    found = await searchAll(q.length ? q.join(" ") : null, { filters, sort }, early);
  } catch (e) {
    status.textContent = form.dataset.failed;
    throw e;
  }
  if (mine !== generation) return;
  pending = found.slice(shown);
  wantedTerms = q;
  if (shown) {
    more.hidden = pending.length === 0;
  } else {
    delete document.body.dataset.firstPageAfter;
    list.replaceChildren();
    await showMore();
  }
  if (mine !== generation) return;
  status.textContent = found.length ? counted(found.length) : form.dataset.none;
  finished();
}

// How many searches have shown their results: tests and people timing
// the page wait for it to change.
function finished() {
  document.body.dataset.searches = String(Number(document.body.dataset.searches ?? 0) + 1);
}

let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(search, 80);
});
for (const s of selects) s.addEventListener("change", search);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  search();
});
more.addEventListener("click", showMore);

input.value = new URLSearchParams(location.search).get("q") ?? "";
form.elements.sort.value = new URLSearchParams(location.search).get("sort") ?? "";
// The address's search at once (a failure says so in the status), and
// the filters' lists as they come.
search().catch(() => {});
fillFilters()
  .then(() => {
    document.body.dataset.ready = "";
  })
  .catch(() => {
    status.textContent = form.dataset.failed;
  });
