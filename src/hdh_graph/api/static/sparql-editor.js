// Starts YASGUI on the page's endpoint with the catalogue's prefixes and the example queries.
function startEditor(endpoint) {
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var prefixes = JSON.parse(document.getElementById("prefixes-data").textContent);
  var Yasgui = window.Yasgui.default || window.Yasgui;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: {
      value: prefixes + "\nSELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n} LIMIT 20\n",
      // Only completions that need no outside service.
      autocompleters: ["prefixes", "variables"],
    },
  });
  var select = document.getElementById("example");
  var description = document.getElementById("example-description");
  select.addEventListener("change", function () {
    if (select.value === "") { return; }
    var example = examples[Number(select.value)];
    var tab = yasgui.getTab();
    tab.setQuery(example.query);
    description.textContent = example.description;
  });
  window.hdhYasgui = yasgui;
  var root = document.getElementById("yasgui");
  labelControls(root);
  new MutationObserver(function () { labelControls(root); }).observe(root, { childList: true, subtree: true });
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

// No inline script (the page's Content-Security-Policy allows none): the endpoint comes from the page.
startEditor(document.getElementById("yasgui").dataset.endpoint);
