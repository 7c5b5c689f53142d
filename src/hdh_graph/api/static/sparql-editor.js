// The query editor. The page comes with a plain form (a text box with the query and a Run button) that works
// without this script; on the reader's first sign of intent (pointer over, focus or touch in the form, an example
// chosen), the script loads YASGUI (about 1 MB, named by the page) and starts it in the form's place, on the page's endpoint, with the catalogue's prefixes,
// the example queries and the query typed so far (the form's query starts with the prefixes). No inline script:
// the page's Content-Security-Policy allows none, so everything comes from the page's data attributes and JSON.
var root = document.getElementById("yasgui");
var examples = JSON.parse(document.getElementById("examples-data").textContent);
var select = document.getElementById("example");
var description = document.getElementById("example-description");
var plain = root.querySelector("[data-plain-editor]");
var textarea = plain.querySelector("textarea");
var yasgui = null;
var requested = false;

select.addEventListener("change", function () {
  if (select.value === "") { return; }
  var example = examples[Number(select.value)];
  description.textContent = example.description;
  if (yasgui) { yasgui.getTab().setQuery(example.query); } else { textarea.value = example.query; loadEditor(); }
});

function loadEditor() {
  if (requested) { return; }
  requested = true;
  showProblem("Loading the full editor…");
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = root.dataset.yasguiStyle;
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = root.dataset.yasguiScript;
  script.async = true;
  // Starting the editor is a task of its own, apart from running the bundle: two shorter tasks, not one long one.
  script.addEventListener("load", function () { setTimeout(startEditor, 0); });
  script.addEventListener("error", function () {
    showProblem("The full editor could not be loaded: this plain one still runs queries.");
  });
  document.head.appendChild(script);
}

function startEditor() {
  var Yasgui = window.Yasgui.default || window.Yasgui;
  var endpoint = root.dataset.endpoint;
  // What the reader typed or chose in the plain form, if anything, goes into the editor.
  var typed = textarea.value !== textarea.defaultValue ? textarea.value : null;
  var focused = document.activeElement === textarea;
  plain.remove();
  yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: {
      value: textarea.defaultValue,
      // Only completions that need no outside service.
      autocompleters: ["prefixes", "variables"],
    },
  });
  if (typed !== null) { yasgui.getTab().setQuery(typed); }
  if (focused) { yasgui.getTab().getYasqe().focus(); }
  window.hdhYasgui = yasgui;
  labelControls(root);
  new MutationObserver(function () { labelControls(root); }).observe(root, { childList: true, subtree: true });
}

function showProblem(text) {
  var loading = root.querySelector("[data-editor-loading]");
  if (loading) { loading.textContent = text; }
}

// YASGUI leaves its endpoint field without a label and puts its "add a tab" button inside the tab list, where
// only tabs may be: name the fields and make the button one of the list's tabs, for screen readers.
function labelControls(root) {
  root.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (input) {
    input.setAttribute("aria-label", "SPARQL endpoint");
  });
  root.querySelectorAll('[role="tablist"] button:not([role])').forEach(function (button) {
    button.setAttribute("role", "tab");
    button.setAttribute("aria-selected", "false");
  });
}

// Loading and starting YASGUI blocks the main thread for a few hundred milliseconds on a phone: only readers who
// reach for the editor pay for it.
["pointerover", "focusin", "touchstart"].forEach(function (intent) {
  root.addEventListener(intent, loadEditor, { once: true, passive: true });
});
