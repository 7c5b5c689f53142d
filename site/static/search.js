// Search page: queries the site's static index (search-index/<lang>/, written by `hdh site`: see docs/site.md)
// with plain fetch calls. Every word of the query must start a word of the record (accents and case ignored);
// a word found in a name weighs more than in a title, which weighs more than in a description.
const form = document.querySelector("[data-search-form]");
const input = document.getElementById("q");
const statusEl = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const more = document.querySelector("[data-search-more]");
const fieldset = document.querySelector("[data-search-filters]");
const filtersBox = document.querySelector("[data-search-filters-box]");
const msg = document.querySelector("[data-search-messages]").dataset;
const filterNames = Object.fromEntries(msg.filterNames.split(";").map((p) => p.split("=")));
const PAGE = Number(msg.pageSize) || 30;
const chosen = {}; // facet -> set of value numbers
const cache = new Map(); // file -> promise of its JSON
let meta = null;
let found = []; // record numbers of the current query, best first
let shown = 0;

function get(file) {
  if (!cache.has(file)) {
    cache.set(file, fetch(msg.index + file).then((r) => {
      if (!r.ok) throw new Error(`${file}: ${r.status}`);
      return r.json();
    }));
  }
  return cache.get(file);
}

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function words(text) {
  return fold(text).match(/[0-9a-z]+/g) || [];
}

// The records where a word starts a word, with their weight (an exact word counts double).
async function matches(word) {
  const prefix = word.slice(0, 2);
  const scores = new Map();
  if (!meta.shards.includes(prefix)) return scores;
  const shard = await get(`t/${prefix}.json`);
  for (const [token, postings] of Object.entries(shard)) {
    if (!token.startsWith(word)) continue;
    const factor = token === word ? 2 : 1;
    for (const [record, weight] of postings) {
      const score = weight * factor;
      if ((scores.get(record) || 0) < score) scores.set(record, score);
    }
  }
  return scores;
}

async function allowed() {
  let keep = null;
  for (const [name, values] of Object.entries(chosen)) {
    if (!values.size) continue;
    const holders = await get(`f/${name}.json`);
    const these = new Set();
    for (const v of values) for (const record of holders[v]) these.add(record);
    keep = keep === null ? these : new Set([...keep].filter((r) => these.has(r)));
  }
  return keep;
}

async function search(query) {
  const wanted = [...new Set(words(query))];
  if (!wanted.length) return [];
  const each = await Promise.all(wanted.map(matches));
  each.sort((a, b) => a.size - b.size);
  const total = new Map(each[0]);
  for (const other of each.slice(1)) {
    for (const [record, score] of total) {
      const extra = other.get(record);
      if (extra === undefined) total.delete(record);
      else total.set(record, score + extra);
    }
  }
  const keep = await allowed();
  const hits = [...total].filter(([record]) => keep === null || keep.has(record));
  hits.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return hits.map(([record]) => record);
}

// The excerpt as text nodes, the words the query starts in <mark>: nothing from the index is parsed as HTML.
function excerptOf(text, wanted) {
  const p = document.createElement("p");
  p.className = "excerpt";
  for (const part of text.split(/([0-9A-Za-zÀ-ÿ]+)/)) {
    if (part && wanted.some((w) => fold(part).startsWith(w))) {
      const mark = document.createElement("mark");
      mark.textContent = part;
      p.append(mark);
    } else {
      p.append(document.createTextNode(part));
    }
  }
  return p;
}

function resultItem([url, title, kind, database, excerpt], wanted) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = url;
  link.textContent = title || url;
  const about = document.createElement("p");
  about.className = "result-kind";
  about.textContent = database && database !== title ? `${kind} · ${database}` : kind;
  li.append(link, about);
  if (excerpt) li.append(excerptOf(excerpt, wanted));
  return li;
}

// The next page of results, as list items (their records' chunks fetched first).
async function nextItems() {
  const wanted = words(input.value);
  const slice = found.slice(shown, shown + PAGE);
  const files = [...new Set(slice.map((r) => Math.floor(r / meta.chunk)))];
  const chunks = Object.fromEntries(await Promise.all(files.map(async (n) => [n, await get(`r/${n}.json`)])));
  shown += slice.length;
  return slice.map((r) => resultItem(chunks[Math.floor(r / meta.chunk)][r % meta.chunk], wanted));
}

async function showMore() {
  list.append(...(await nextItems()));
  more.hidden = shown >= found.length;
}

let ready = null;
let asked = 0;

async function run() {
  if (!(await ready)) return; // a query typed before the index has loaded waits for it
  const q = input.value.trim();
  const url = new URL(window.location.href);
  url.searchParams.set("q", q);
  window.history.replaceState(null, "", url);
  const mine = ++asked;
  const hits = q ? await search(q) : [];
  if (mine !== asked) return; // a newer query was typed meanwhile
  found = hits;
  shown = 0;
  const items = await nextItems();
  if (mine !== asked) return;
  // The list and the count change together: the status announces results that are there.
  list.replaceChildren(...items);
  more.hidden = shown >= found.length;
  statusEl.textContent = !q ? "" : hits.length ? msg.count.replace("{n}", hits.length) : msg.none;
}

function showFilters() {
  if (fieldset.childElementCount > 1) return;
  for (const [name, values] of Object.entries(meta.facets)) {
    const group = document.createElement("div");
    group.className = "filter-group";
    const title = document.createElement("p");
    title.textContent = filterNames[name] || name;
    group.append(title);
    values.forEach((value, number) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.addEventListener("change", () => {
        chosen[name] = chosen[name] || new Set();
        if (box.checked) chosen[name].add(number); else chosen[name].delete(number);
        run();
      });
      label.append(box, " " + value);
      group.append(label);
    });
    fieldset.append(group);
  }
}

async function load() {
  try {
    meta = await get("meta.json");
  } catch (err) {
    statusEl.textContent = msg.unavailable;
    return false;
  }
  filtersBox.hidden = false;
  filtersBox.addEventListener("toggle", () => { if (filtersBox.open) showFilters(); });
  return true;
}

ready = load();
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
more.addEventListener("click", () => { showMore(); });
ready.then((ok) => {
  const q = new URL(window.location.href).searchParams.get("q");
  if (ok && q) { input.value = q; run(); }
});
