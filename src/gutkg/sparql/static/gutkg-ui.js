// gutkg query UI: YASGUI pointed at this server's /sparql, plus a picker for the bundled
// questions. Everything is served by gutkg itself: nothing is fetched from other hosts
// (YASQE's class/property autocompleters, which call an outside service, are switched off).
(function () {
  "use strict";
  var endpoint = new URL("sparql", document.baseURI).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "gutkg-yasgui",
    yasqe: { autocompleters: ["prefixes", "variables"] },
    yasr: { prefixes: function () { return window.gutkgPrefixes || {}; } },
    corsProxy: undefined
  });
  window.gutkgYasgui = yasgui;

  var select = document.getElementById("gk-question");
  var help = document.getElementById("gk-question-help");
  var questions = {};

  function text(node, value) { node.textContent = value; return node; }

  function describe(q) {
    var params = q.params.map(function (p) {
      return "?" + p.name + " (" + p.kind + (p.optional ? ", optional" : "") + "): " + p.description;
    });
    return q.description + (params.length ? "  Parameters, bound in the VALUES line: " + params.join("; ") : "");
  }

  function load(name, run) {
    if (!name) { return Promise.resolve(); }
    return fetch(new URL("queries/" + encodeURIComponent(name), document.baseURI))
      .then(function (r) { return r.json(); })
      .then(function (q) {
        var tab = yasgui.getTab();
        tab.setQuery(q.ui_query);
        text(help, describe(q));
        if (run) { tab.query(); }
      });
  }

  fetch(new URL("prefixes", document.baseURI))
    .then(function (r) { return r.json(); })
    .then(function (prefixes) { window.gutkgPrefixes = prefixes; });

  fetch(new URL("queries", document.baseURI))
    .then(function (r) { return r.json(); })
    .then(function (list) {
      list.forEach(function (q) {
        questions[q.name] = q;
        var option = text(document.createElement("option"), q.name);
        option.value = q.name;
        option.title = q.description;
        select.appendChild(option);
      });
    });

  select.addEventListener("change", function () { load(select.value, false); });
  document.getElementById("gk-run").addEventListener("click", function () {
    load(select.value || "unmapped-concepts", true);
  });
})();
