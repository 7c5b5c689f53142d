// The query editor: loads YASGUI (about 1 MB, named by the page) once the page has painted, then starts it on the
// page's endpoint with the catalogue's prefixes and the example queries. No inline script: the page's
// Content-Security-Policy allows none, so everything comes from the page's data attributes and JSON blocks.
var root = document.getElementById("yasgui");
var examples = JSON.parse(document.getElementById("examples-data").textContent);
var prefixes = JSON.parse(document.getElementById("prefixes-data").textContent);
var select = document.getElementById("example");
var description = document.getElementById("example-description");
var yasgui = null;
var pending = null; // an example chosen before the editor was ready

select.addEventListener("change", function () {
  if (select.value === "") { return; }
  var example = examples[Number(select.value)];
  description.textContent = example.description;
  if (yasgui) { yasgui.getTab().setQuery(example.query); } else { pending = example; }
});

function loadEditor() {
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = root.dataset.yasguiStyle;
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = root.dataset.yasguiScript;
  script.async = true;
  // Starting the editor is a task of its own, apart from running the bundle: two shorter tasks, not one long one.
  script.addEventListener("load", function () { setTimeout(startEditor, 0); });
  script.addEventListener("error", function () { showProblem("The query editor could not be loaded."); });
  document.head.appendChild(script);
}

function startEditor() {
  var Yasgui = window.Yasgui.default || window.Yasgui;
  var endpoint = root.dataset.endpoint;
  var loading = root.querySelector("[data-editor-loading]");
  if (loading) { loading.remove(); }
  yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: {
      value: prefixes + "\nSELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n} LIMIT 20\n",
      // Only completions that need no outside service.
      autocompleters: ["prefixes", "variables"],
    },
  });
  if (pending) { yasgui.getTab().setQuery(pending.query); pending = null; }
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

// The script is deferred (it runs once the page is parsed); the editor is loaded once the page has loaded.
window.addEventListener("load", loadEditor);
