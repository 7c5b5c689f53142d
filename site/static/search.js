// Search page: queries the Pagefind index written under /pagefind/ and lists the results.
const form = document.querySelector("[data-search-form]");
const input = document.getElementById("q");
const statusEl = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const fieldset = document.querySelector("[data-search-filters]");
const filtersBox = document.querySelector("[data-search-filters-box]");
const msg = document.querySelector("[data-search-messages]").dataset;
const filterNames = Object.fromEntries(msg.filterNames.split(";").map((p) => p.split("=")));
const chosen = {};
let pagefind = null;
// Pages changed since the site was last indexed in full are in a second, small index (pagefind-delta);
// their old entries in the main index are listed in pagefind-delta.json and dropped from the results.
let stale = new Set();

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

async function load() {
  try {
    pagefind = await import("/pagefind/pagefind.js");
    await pagefind.options({ excerptLength: 24 });
    await pagefind.init();
    const delta = await fetch("/pagefind-delta.json").then((r) => (r.ok ? r.json() : null)).catch(() => null);
    if (delta && delta.index) {
      stale = new Set(delta.stale);
      await pagefind.mergeIndex(delta.index);
    }
  } catch (err) {
    statusEl.textContent = msg.unavailable;
    return false;
  }
  filtersBox.hidden = false;
  // The filter lists are loaded when the reader opens "Refine": on big sites they weigh more than a query.
  filtersBox.addEventListener("toggle", () => { if (filtersBox.open) showFilters(); });
  return true;
}

let filtersShown = false;
async function showFilters() {
  if (filtersShown) return;
  filtersShown = true;
  const filters = await pagefind.filters();
  for (const [name, values] of Object.entries(filters)) {
    const group = document.createElement("div");
    group.className = "filter-group";
    const title = document.createElement("p");
    title.textContent = filterNames[name] || name;
    group.append(title);
    for (const value of Object.keys(values).sort()) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.addEventListener("change", () => {
        chosen[name] = chosen[name] || [];
        chosen[name] = box.checked ? [...chosen[name], value] : chosen[name].filter((v) => v !== value);
        if (!chosen[name].length) delete chosen[name];
        run();
      });
      label.append(box, " " + value);
      group.append(label);
    }
    fieldset.append(group);
  }
}

function resultItem(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  // Pagefind's excerpt is text from our own escaped pages with <mark> around the hits: keep only those marks.
  const parts = data.excerpt.split(/<\/?mark>/);
  parts.forEach((part, i) => {
    // A textarea decodes entities without ever creating elements, so nothing in the text can run.
    const holder = document.createElement("textarea");
    holder.innerHTML = part;
    const text = document.createTextNode(holder.value);
    if (i % 2 === 1) {
      const mark = document.createElement("mark");
      mark.append(text);
      excerpt.append(mark);
    } else {
      excerpt.append(text);
    }
  });
  li.append(link, excerpt);
  return li;
}

let ready = null;

async function run() {
  if (!(await ready)) return; // a query typed before the index has loaded waits for it
  const q = input.value.trim();
  const url = new URL(window.location.href);
  url.searchParams.set("q", q);
  window.history.replaceState(null, "", url);
  list.replaceChildren();
  if (!q) { statusEl.textContent = ""; return; }
  let search = await pagefind.search(q, { filters: chosen });
  if (!search.results.length && fold(q) !== q) {
    search = await pagefind.search(fold(q), { filters: chosen });
  }
  const wanted = search.results.slice(0, 30 + stale.size);
  const loaded = await Promise.all(wanted.map((r) => r.data()));
  const fresh = loaded.filter((d) => !stale.has(d.url) || (d.meta && d.meta.delta));
  const results = fresh.slice(0, 30);
  const total = search.results.length - (loaded.length - fresh.length);
  statusEl.textContent = results.length ? msg.count.replace("{n}", total) : msg.none;
  list.replaceChildren(...results.map(resultItem));
}

ready = load();
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
ready.then((ok) => {
  const q = new URL(window.location.href).searchParams.get("q");
  if (ok && q) { input.value = q; run(); }
});
