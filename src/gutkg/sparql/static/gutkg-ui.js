// gutkg query UI: YASGUI pointed at this server's /sparql, plus what a biologist needs around it:
// - the bundled questions picked by title, their parameters picked by name (autocomplete over
//   /labels for concepts, over the labelled IRIs of the example's namespace for a hypothesis,
//   question or reference), written into the query's own VALUES line;
// - a results table that shows literals plainly (136, not "136"^^xsd:integer; the datatype or
//   language is on hover), links gutkg's concepts, claims, hypotheses and questions to this
//   server's explorer (/explore) and never rewrites {{...}} in a literal (YASR's mustache step);
// - an old error is cleared as soon as a new query runs.
// Everything is served by gutkg itself: nothing is fetched from other hosts (YASQE's
// class/property autocompleters, which call an outside service, are switched off).
(function () {
  "use strict";
  var base = document.baseURI;
  var endpoint = new URL("sparql", base).href;
  var explorePage = new URL("explore", base).href;
  var prefixes = {};
  var questions = {};      // name -> summary from /queries
  var current = null;      // the loaded question (from /queries/NAME)
  var yasgui = null;

  var select = document.getElementById("gk-question");
  var help = document.getElementById("gk-question-help");
  var form = document.getElementById("gk-params");
  var message = document.getElementById("gk-message");

  function getJson(path) {
    return fetch(new URL(path, base)).then(function (r) {
      if (!r.ok) { throw new Error(path + " answered " + r.status); }
      return r.json();
    });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function say(text) { message.textContent = text; message.hidden = !text; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fold(s) { return String(s).toLocaleLowerCase().trim(); }

  // ------------------------------------------------------------------ IRIs, CURIEs, explorer links
  function curie(iri) {
    var best = "";
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > (prefixes[best] || "").length) { best = p; }
    });
    return best ? best + ":" + iri.slice(prefixes[best].length) : "";
  }
  function expand(text) {
    var t = text.trim();
    if (/^<.*>$/.test(t)) { t = t.slice(1, -1); }
    if (/^https?:\/\//.test(t)) { return t; }
    var m = /^([A-Za-z][\w-]*):(\S*)$/.exec(t);
    return m && prefixes[m[1]] !== undefined ? prefixes[m[1]] + m[2] : null;
  }
  // What the explorer can open, by namespace: its URL fragment for an IRI of that kind.
  var VIEWS = { gkc: ["sel", "n:"], gkcl: ["sel", "e:"], gkh: ["hl", "h:"], gkq: ["q", ""] };
  function exploreLink(iri) {
    var c = curie(iri), cut = c.indexOf(":"), view = VIEWS[c.slice(0, cut)];
    if (!view || cut < 0 || !c.slice(cut + 1)) { return null; }
    var hash = new URLSearchParams();
    hash.set(view[0], view[1] + c.slice(cut + 1));
    return explorePage + "#" + hash.toString();
  }
  function ownIri(iri) {
    return Object.keys(prefixes).some(function (p) { return p.indexOf("gk") === 0 && iri.indexOf(prefixes[p]) === 0; });
  }

  // ------------------------------------------------------------------ results table cells
  function iriCell(iri) {
    var shown = curie(iri) || iri, concept = conceptNames.byIri[iri], link = exploreLink(iri);
    if (link) {
      var what = concept ? concept.label : shown;
      return "<a class='iri gk-explore' href='" + esc(link) + "' title='" + esc(what + ": open in the explorer (" + iri + ")") +
        "'>" + esc(shown) + "</a>";
    }
    if (ownIri(iri) || !/^https?:\/\//.test(iri)) {  // no page of its own: never a dead w3id.org link
      return "<span class='gk-iri' title='" + esc(iri) + "'>" + esc(shown) + "</span>";
    }
    return "<a class='iri' href='" + esc(iri) + "' target='_blank' rel='noopener noreferrer' title='" + esc(iri) +
      "'>" + esc(shown) + "</a>";
  }
  function literalCell(b) {
    var note = b["xml:lang"] ? "language: " + b["xml:lang"] : b.datatype ? "datatype: " + (curie(b.datatype) || b.datatype) : "";
    return "<span class='nonIri gk-literal'" + (note ? " title='" + esc(note) + "'" : "") + ">" + esc(b.value) + "</span>";
  }
  function cell(b) {
    if (b.type === "uri") { return iriCell(b.value); }
    if (b.type === "bnode") { return "<span class='gk-bnode'>_:" + esc(b.value) + "</span>"; }
    return literalCell(b);
  }
  Yasgui.Yasr.plugins.table.prototype.getCellContent = function (binding) { return "<div>" + cell(binding) + "</div>"; };

  // YASR's parser rewrites {{name}} in every literal of a SPARQL JSON answer (mustache
  // templating). Parse SPARQL JSON answers ourselves so literals stay exactly as the store sent
  // them; other formats keep YASR's parser. The parser class is not exported: one throw-away
  // setResponse on a stand-in object yields an instance to patch the prototype through.
  (function keepLiteralsVerbatim() {
    var probe = { draw: function () {}, storeResponse: function () {} };
    Yasgui.Yasr.prototype.setResponse.call(probe, {});
    var parser = Object.getPrototypeOf(probe.results), getAsJson = parser.getAsJson;
    parser.getAsJson = function () {
      if (this.json === undefined && !this.hasError()) {
        var type = this.getContentType() || "", data = this.getData();
        if (!type || type.indexOf("json") >= 0) {
          try {
            var json = typeof data === "string" ? JSON.parse(data) : JSON.parse(JSON.stringify(data));
            if (json && typeof json.head === "object") { this.json = json; this.type = "json"; }
          } catch (err) { /* not JSON: YASR's own parsers decide */ }
        }
      }
      return getAsJson.call(this);
    };
  })();

  // ------------------------------------------------------------------ things picked by name
  // A list of things a parameter may name: {iri, label, synonyms, category}. Concepts come from
  // /labels; a question's IRI parameter (a hypothesis, question or reference) offers the labelled
  // IRIs of its example value's namespace, asked of /sparql. Loaded once, on first need.
  function Names(noun, fetchList) { this.noun = noun; this.fetchList = fetchList; this.items = []; this.byIri = {}; this.ready = null; }
  Names.prototype.load = function () {
    var self = this;
    if (!self.ready) {
      self.ready = self.fetchList().then(function (list) {
        self.items = list;
        list.forEach(function (c) { self.byIri[c.iri] = c; });
        return list;
      }, function (err) { self.ready = null; throw err; });
    }
    return self.ready;
  };
  // Those whose label or a synonym contains the text: label prefix first, then word starts, then
  // anywhere, then synonyms; each with the synonym that matched when the label did not.
  Names.prototype.matches = function (text, limit) {
    var q = fold(text), out = [];
    this.items.forEach(function (c) {
      var label = fold(c.label), rank = -1, via = "";
      if (!q || label.indexOf(q) === 0) { rank = 0; }
      else if ((" " + label).indexOf(" " + q) >= 0 || label.indexOf("-" + q) >= 0) { rank = 1; }
      else if (label.indexOf(q) >= 0) { rank = 2; }
      else {
        c.synonyms.some(function (s) {
          var i = fold(s).indexOf(q);
          if (i >= 0) { rank = i === 0 ? 3 : 4; via = s; }
          return i === 0;
        });
      }
      if (rank >= 0) { out.push({ item: c, rank: rank, via: via }); }
    });
    out.sort(function (a, b) { return a.rank - b.rank || fold(a.item.label).localeCompare(fold(b.item.label)); });
    return out.slice(0, limit);
  };
  // Labels within a few typing slips of the text (edit distance), nearest first.
  function distance(a, b) {
    var row = [], i, j, prev, next;
    for (j = 0; j <= b.length; j++) { row.push(j); }
    for (i = 1; i <= a.length; i++) {
      prev = row[0]; row[0] = i;
      for (j = 1; j <= b.length; j++) {
        next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row[j]; row[j] = next;
      }
    }
    return row[b.length];
  }
  Names.prototype.closest = function (text, limit) {
    var t = fold(text), most = Math.max(2, Math.floor(t.length / 3)), found = [];
    this.items.forEach(function (c) {
      var d = Math.min.apply(null, [c.label].concat(c.synonyms).map(function (n) { return distance(t, fold(n)); }));
      if (d <= most) { found.push({ label: c.label, d: d }); }
    });
    found.sort(function (a, b) { return a.d - b.d || a.label.localeCompare(b.label); });
    return found.slice(0, limit).map(function (f) { return f.label; });
  };
  // The one thing a typed name means (label, synonym, CURIE or IRI), or a message saying why not.
  Names.prototype.resolve = function (text) {
    var self = this, t = fold(text), iri = expand(text);
    if (iri && (self.byIri[iri] || !self.items.length)) {  // no names loaded: a CURIE or IRI still works
      return { item: self.byIri[iri] || { iri: iri, label: text.trim() } };
    }
    var hits = self.items.filter(function (c) {
      return fold(c.label) === t || c.synonyms.some(function (s) { return fold(s) === t; });
    });
    if (hits.length === 1) { return { item: hits[0] }; }
    if (hits.length > 1) {
      return { error: "“" + text.trim() + "” names " + hits.length + " " + self.noun + "s (" +
        hits.map(function (c) { return c.label; }).join(", ") + "): pick one from the list" };
    }
    var near = self.matches(text, 3).map(function (m) { return m.item.label; });
    if (!near.length) { near = self.closest(text, 3); }
    return { error: "no " + self.noun + " called “" + text.trim() + "” in this graph" +
      (near.length ? "; did you mean " + near.join(", ") + "?" : "; type part of a name and pick from the list") };
  };

  var conceptNames = new Names("concept", function () { return getJson("labels"); });
  var byNamespace = {};
  var NOUNS = { gkh: "hypothesis", gkq: "question", gkref: "reference", gkc: "concept", gkcl: "claim" };
  function sparqlRows(query) {
    return fetch(endpoint, { method: "POST", body: new URLSearchParams({ query: query }),
                             headers: { Accept: "application/sparql-results+json" } })
      .then(function (r) { if (!r.ok) { throw new Error("/sparql answered " + r.status); } return r.json(); })
      .then(function (j) { return j.results.bindings; });
  }
  // The labelled IRIs in the namespace of ``iri`` (e.g. every gkh: hypothesis), or null.
  function namesLike(iri) {
    var c = curie(iri), prefix = c.slice(0, c.indexOf(":"));
    if (!prefix || !/^gk/.test(prefix)) { return null; }
    var ns = prefixes[prefix];
    if (!byNamespace[ns]) {
      var query = "SELECT ?iri (SAMPLE(STR(?name)) AS ?label) WHERE {\n" +
        "  ?iri <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label>|" +
        "<http://purl.org/dc/terms/title> ?name .\n  FILTER (STRSTARTS(STR(?iri), " + JSON.stringify(ns) + "))\n} GROUP BY ?iri";
      byNamespace[ns] = new Names(NOUNS[prefix] || "item", function () {
        return sparqlRows(query).then(function (rows) {
          return rows.map(function (r) {
            var key = r.iri.value.slice(ns.length);
            return { iri: r.iri.value, label: r.label.value, synonyms: [key, prefix + ":" + key], category: NOUNS[prefix] || "" };
          });
        });
      });
    }
    return byNamespace[ns];
  }

  // ------------------------------------------------------------------ the parameter form
  function combo(input, list, names, onPick) {
    var shown = [], active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", String(j === i)); });
      if (i >= 0) { input.setAttribute("aria-activedescendant", list.children[i].id); list.children[i].scrollIntoView({ block: "nearest" }); }
    }
    function open() {
      names.load().then(function () {
        if (document.activeElement !== input) { return; }
        shown = names.matches(input.value, 12);
        list.textContent = "";
        shown.forEach(function (m, i) {
          var li = el("li", { role: "option", id: list.id + "-" + i, "aria-selected": "false" }, [
            el("span", { class: "gk-opt-label", text: m.item.label }),
            m.via ? el("span", { class: "gk-opt-via", text: "also called " + m.via }) : null,
            el("span", { class: "gk-opt-cat", text: m.item.category })]);
          li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
          list.appendChild(li);
        });
        if (!shown.length) { list.appendChild(el("li", { class: "gk-opt-none", text: "no " + names.noun + " matches" })); }
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        mark(shown.length ? 0 : -1);
      }, function () { say("the " + names.noun + " names could not be loaded; type a CURIE such as " + (input.placeholder || "gkc:zonulin")); });
    }
    function pick(i) { var m = shown[i]; close(); if (m) { onPick(m.item); } }
    input.addEventListener("input", open);
    input.addEventListener("focus", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (list.hidden) { open(); return; }
        var n = shown.length;
        if (n) { mark((active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n); }
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (!list.hidden && active >= 0) { pick(active); } else { input.blur(); run(); }
      } else if (ev.key === "Escape") { close(); }
    });
  }

  var pickers = {};  // parameter name -> its Names, for the loaded question
  function valueTerm(param, input) {
    var text = input.value.trim(), names = pickers[param.name];
    if (!text) { return param.optional ? { term: "UNDEF" } : { error: "?" + param.name + " needs a value" }; }
    if (names) {
      if (input.dataset.iri && input.dataset.label === input.value) { return { term: "<" + input.dataset.iri + ">" }; }
      var found = names.resolve(text);
      if (found.item) { return { term: "<" + found.item.iri + ">" }; }
      if (param.kind === "concept" || !expand(text)) { return { error: "?" + param.name + ": " + found.error }; }
    }
    if (param.kind === "IRI" || param.kind === "concept") {
      var iri = expand(text);
      if (!iri || /[\s<>"{}|^`\\]/.test(iri)) {
        return { error: "?" + param.name + ": write a CURIE such as " + (input.placeholder || "gkh:NAME") + " or a full http(s) IRI" };
      }
      return { term: "<" + iri + ">" };
    }
    if (param.kind === "integer") {
      return /^[+-]?\d+$/.test(text) ? { term: text } : { error: "?" + param.name + " must be a whole number, not “" + text + "”" };
    }
    return { term: '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"' };
  }

  var VALUES_LINE = /^[ \t]*VALUES \(([^)]*)\) \{ \((.*)\) \}[ \t]*$/m;
  function parseTerms(text) {
    var out = [], re = /<([^>]*)>|"((?:[^"\\]|\\.)*)"|(\S+)/g, m;
    while ((m = re.exec(text))) {
      if (m[1] !== undefined) { out.push({ iri: m[1] }); }
      else if (m[2] !== undefined) { out.push({ literal: m[2].replace(/\\(.)/g, function (all, c) { return { n: "\n", r: "\r", t: "\t" }[c] || c; }) }); }
      else { out.push(m[3] === "UNDEF" ? {} : { literal: m[3] }); }
    }
    return out;
  }
  // The values the loaded question's VALUES line binds, by variable name.
  function boundValues(query) {
    var m = VALUES_LINE.exec(query), out = {};
    if (!m) { return out; }
    var names = m[1].trim().split(/\s+/), terms = parseTerms(m[2]);
    names.forEach(function (n, i) { out[n.replace(/^\?/, "")] = terms[i] || {}; });
    return out;
  }

  function buildForm(q) {
    form.textContent = "";
    form.hidden = !q.params.length;
    pickers = {};
    var bound = boundValues(q.ui_query);
    q.params.forEach(function (p) {
      var id = "gk-p-" + p.name, value = bound[p.name] || {};
      var input = el("input", { id: id, name: p.name, type: "text", "data-kind": p.kind, spellcheck: "false" });
      var field = el("div", { class: "gk-param" }, [
        el("label", { for: id }, [el("code", { text: "?" + p.name }), document.createTextNode(" " + p.description + (p.optional ? " (optional)" : ""))]),
        input]);
      var names = p.kind === "concept" ? conceptNames : p.kind === "IRI" && value.iri ? namesLike(value.iri) : null;
      if (value.iri) { input.value = curie(value.iri) || value.iri; }
      else if (value.literal !== undefined) { input.value = value.literal; }
      if (p.kind === "integer") { input.inputMode = "numeric"; }
      if (names) {
        pickers[p.name] = names;
        var list = el("ul", { id: id + "-options", class: "gk-options", role: "listbox", hidden: "" });
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", list.id);
        input.placeholder = "type part of a name" + (p.kind === "concept" ? ", e.g. permeability" : " or a CURIE");
        field.appendChild(list);
        var chosen = function (c) {
          input.value = c.label; input.dataset.iri = c.iri; input.dataset.label = c.label;
          input.removeAttribute("aria-invalid"); writeValues(false);
        };
        combo(input, list, names, chosen);
        if (value.iri) {  // show the example's name once the names are in
          names.load().then(function () {
            var c = names.byIri[value.iri];
            if (c && input.value === (curie(value.iri) || value.iri)) { chosen(c); }
          }, function () { /* the CURIE stays */ });
        }
      } else if (value.iri) { input.placeholder = input.value; }
      input.addEventListener("change", function () { writeValues(false); });
      form.appendChild(field);
    });
  }

  // Write the form's values into the editor's VALUES line; false (and a message) if one is wrong.
  // A query the user rewrote so far that it is no longer the question is left as it is.
  function writeValues(strict) {
    if (!current || !current.params.length) { return true; }
    if (yasgui.getTab().getQuery().indexOf("# name: " + current.name + "\n") < 0) { return true; }
    var vars = [], terms = [], problems = [];
    current.params.forEach(function (p) {
      var input = document.getElementById("gk-p-" + p.name), got = valueTerm(p, input);
      if (got.error) { problems.push(got.error); input.setAttribute("aria-invalid", "true"); return; }
      input.removeAttribute("aria-invalid");
      vars.push("?" + p.name); terms.push(got.term);
    });
    if (problems.length) { if (strict) { say(problems.join(". ")); } return false; }
    say("");
    var tab = yasgui.getTab(), query = tab.getQuery();
    var line = terms.every(function (t) { return t === "UNDEF"; }) ? "" : "  VALUES (" + vars.join(" ") + ") { (" + terms.join(" ") + ") }";
    if (VALUES_LINE.test(query)) {
      query = line ? query.replace(VALUES_LINE, line) : query.replace(new RegExp(VALUES_LINE.source + "\\n?", "m"), "");
    } else if (line) {
      query = query.replace(/(\bWHERE\s*\{[ \t]*)\n?/i, function (all, head) { return head + "\n" + line + "\n"; });
    }
    if (query !== tab.getQuery()) { tab.setQuery(query); }
    return true;
  }

  // ------------------------------------------------------------------ questions
  function load(name) {
    return getJson("queries/" + encodeURIComponent(name)).then(function (q) {
      current = q;
      yasgui.getTab().setQuery(q.ui_query);
      help.textContent = q.description;
      buildForm(q);
      return q;
    });
  }
  function run() {
    var name = select.value;
    var ready = name && (!current || current.name !== name) ? load(name) : Promise.resolve(current);
    return ready.then(function (q) {
      var loading = Object.keys(pickers).map(function (k) { return pickers[k].load().catch(function () { return null; }); });
      return Promise.all(loading).then(function () {
        if (q && name === q.name && !writeValues(true)) { return null; }
        say("");
        return yasgui.getTab().query();
      });
    }).catch(function (err) { say(String(err.message || err)); });
  }

  function start() {
    yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: "gutkg-yasgui",
      yasqe: { autocompleters: ["prefixes", "variables"] },
      yasr: { prefixes: function () { return prefixes; } },
      corsProxy: undefined
    });
    window.gutkgYasgui = yasgui;
    // A new run starts clean: the last run's error (from YASR or from this form) goes at once,
    // not when the new answer arrives.
    yasgui.on("query", function (instance, tab) {
      say("");
      var yasr = tab.getYasr();
      if (yasr.results && yasr.results.getError()) {
        yasr.results = undefined;
        while (yasr.resultsEl.firstChild) { yasr.resultsEl.firstChild.remove(); }
      }
    });
  }

  var prefixesReady = getJson("prefixes").then(function (p) { prefixes = p; }, function () { prefixes = {}; });
  prefixesReady.then(start);
  conceptNames.load().catch(function () { /* offered again when a concept field is used */ });

  getJson("queries").then(function (list) {
    list.forEach(function (q) {
      questions[q.name] = q;
      var option = el("option", { value: q.name, title: q.description, text: q.title || q.name });
      select.appendChild(option);
    });
  });

  select.addEventListener("change", function () {
    say("");
    if (!select.value) { current = null; form.hidden = true; help.textContent = ""; return; }
    prefixesReady.then(function () { return load(select.value); }).catch(function (err) { say(String(err.message || err)); });
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  document.getElementById("gk-run").addEventListener("click", function () { prefixesReady.then(run); });
})();
