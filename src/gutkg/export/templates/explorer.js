/* gutkg explorer: search, filter, read the evidence. Offline, no dependencies beyond vis-network.
 * Graph text is data: it is only ever put into the page with textContent / value / title, and
 * links are built only from http(s) IRIs, DOIs and PubMed ids. The view (filters, selection,
 * highlight, camera) lives in the URL fragment, so a copied link reopens the same view. */
(function () {
  'use strict';

  const DATA = JSON.parse(document.getElementById('gutkg-data').textContent);
  performance.mark('gutkg:data');
  const BIG = !!DATA.big;
  const SIGN = {
    '1': {name: 'increases', color: '#2f7d4a', arrow: 'arrow', cls: 'increases'},
    '-1': {name: 'decreases', color: '#c0392b', arrow: 'bar', cls: 'decreases'},
    '0': {name: 'no effect', color: '#8c8c8c', arrow: 'circle', cls: 'noeffect'},
  };
  const DIM_NODE = '#e6e6e6', DIM_EDGE = '#e3e3e3';
  /* Status is drawn as line style, never as an edge label (32 'contested' labels piled up on the
     permeability hub); its text is in the tooltip and on the selected claim. */
  const DASHES = {hypothesised: [8, 6], contested: [2, 4], refuted: [2, 4, 8, 4]};
  const DASH_CSS = {hypothesised: 'dashed', contested: 'dotted', refuted: 'dotted'};
  const MARK_COLOUR = '#8a5a00';
  /* Rival hypotheses of the question on show: one colour each (Tableau 10, not the sign colours). */
  const RIVAL_COLOURS = ['#1f77b4', '#e377c2', '#ff7f0e', '#17becf', '#9467bd', '#8c564b', '#bcbd22', '#7f7f7f'];
  /* Node labels are FONT px at zoom 1; the first view is never smaller than MIN_LABEL_PX. */
  const FONT = 15, MIN_LABEL_PX = 12, ROLE_NAMES = {forward: 'A causes B', reverse: 'B causes A',
    'shared cause': 'a shared cause drives both', feedback: 'a feedback loop through both'};

  // ---------------------------------------------------------------- indexes
  const nodes = new Map(), edges = new Map(), hyps = new Map(), questions = new Map();
  const cats = new Map();
  const outE = new Map(), inE = new Map();
  for (const c of DATA.categories) cats.set(c.id, c);
  for (const n of DATA.nodes) {
    n.synonyms = n.synonyms || []; n.mappings = n.mappings || []; n.broader = n.broader || [];
    nodes.set(n.id, n); outE.set(n.id, []); inE.set(n.id, []);
  }
  const REFS = DATA.refs || {};
  for (const e of DATA.edges) {
    e.ev = e.ev || []; e.hypotheses = e.hypotheses || [];
    for (const it of e.ev) {
      it.stance = it.stance || 'supports';
      it.systems = (it.system || 'unspecified').split(',').map((x) => x.trim());
    }
    edges.set(e.id, e); outE.get(e.from).push(e.id); inE.get(e.to).push(e.id);
  }
  for (const h of DATA.hypotheses) { h.claimSet = new Set(h.claims); hyps.set(h.id, h); }
  for (const q of DATA.questions) questions.set(q.id, q);

  // ---------------------------------------------------------------- helpers
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') e.textContent = v;
        else if (k === 'cls') e.className = v;
        else if (k === 'href') { const u = safeUrl(v); if (u) { e.href = u; e.target = '_blank'; e.rel = 'noopener noreferrer'; } }
        else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
        else if (k === 'style') Object.assign(e.style, v);
        else if (k === 'data') Object.assign(e.dataset, v);
        else e.setAttribute(k, String(v));
      }
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.appendChild(typeof kid === 'string' ? document.createTextNode(kid) : kid);
    }
    return e;
  }
  function safeUrl(u) {
    try { const url = new URL(String(u)); return /^https?:$/.test(url.protocol) ? url.href : null; }
    catch (err) { return null; }
  }
  function doiUrl(doi) {
    return 'https://doi.org/' + String(doi).split('/').map(encodeURIComponent).join('/');
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function norm(s) {
    return String(s).normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'")
      .replace(/[\s_\-‐–—]+/g, ' ').trim();
  }
  function label(id) { const n = nodes.get(id); return n ? n.label : id; }
  function catColor(cat) { return (cats.get(cat) || cats.get('unknown')).color; }
  function swatch(color) { return el('span', {cls: 'swatch', style: {background: color}}); }
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- state and permalink
  const state = {
    xcat: new Set(), xst: new Set(), min: 0, sys: new Set(), prim: false, xdes: new Set(), q: '',
    only: '', hl: '', conn: true, sel: '', len: 4, cam: null,
  };
  const OPENING = questions.has(DATA.opening) ? DATA.opening : '';
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    state.xcat = new Set(p.getAll('xcat').filter((c) => cats.has(c)));
    state.xst = new Set(p.getAll('xst').filter((s) => DATA.statuses.includes(s)));
    state.min = Math.max(0, Math.min(4, parseInt(p.get('min') || '0', 10) || 0));
    state.sys = new Set(p.getAll('sys').filter((s) => DATA.systems.includes(s)));
    state.prim = p.get('prim') === '1';
    state.xdes = new Set(p.getAll('xdes').filter((s) => DATA.designs.includes(s)));
    /* No fragment at all: the page opens on the founding question; 'q=' is the whole graph. */
    state.q = questions.has(p.get('q')) ? p.get('q') : (!location.hash.replace(/^#/, '') ? OPENING : '');
    state.only = hyps.has(p.get('only')) ? p.get('only') : '';
    state.hl = p.get('hl') || '';
    state.conn = p.get('conn') !== '0';
    state.sel = p.get('sel') || '';
    state.len = Math.max(1, Math.min(8, parseInt(p.get('len') || '4', 10) || 4));
    const cam = (p.get('cam') || '').split(',').map(Number);
    state.cam = cam.length === 3 && cam.every(Number.isFinite) && cam[2] > 0 ? cam : null;
    if (!p.has('hl') && !p.has('sel') && !location.hash && DATA.highlights.length) state.hl = 'c:0';
    if (!p.has('sel') && !location.hash && DATA.focus) state.sel = 'n:' + DATA.focus;
  }
  let hashTimer = 0;
  function writeHash(withCamera) {
    if (withCamera && network) {
      const pos = network.getViewPosition();
      state.cam = [pos.x, pos.y, network.getScale()];
    }
    const p = new URLSearchParams();
    for (const c of state.xcat) p.append('xcat', c);
    for (const s of state.xst) p.append('xst', s);
    if (state.min) p.set('min', String(state.min));
    for (const s of state.sys) p.append('sys', s);
    if (state.prim) p.set('prim', '1');
    for (const s of state.xdes) p.append('xdes', s);
    if (state.q || OPENING) p.set('q', state.q);
    if (state.only) p.set('only', state.only);
    if (state.hl) p.set('hl', state.hl);
    if (!state.conn) p.set('conn', '0');
    if (state.sel) p.set('sel', state.sel);
    if (state.len !== 4) p.set('len', String(state.len));
    if (state.cam) p.set('cam', state.cam.map((v, i) => v.toFixed(i === 2 ? 4 : 1)).join(','));
    const hash = '#' + p.toString();
    if (location.hash !== hash) {
      try { history.replaceState(null, '', hash); } catch (err) { /* e.g. a sandboxed srcdoc frame */ }
    }
  }
  function saveCameraSoon() { clearTimeout(hashTimer); hashTimer = setTimeout(() => writeHash(true), 250); }

  // ---------------------------------------------------------------- visual encoding
  /* Items carry only what differs from the global options and the per-category groups: 5,000
     nodes and 24,000 edges' options are parsed on load. Dimming changes colours only. */
  function groupOf(n) { return cats.has(n.category) ? n.category : 'unknown'; }
  function nodeColour(cat) {
    const c = catColor(cat);
    return {background: c, border: '#555', highlight: {background: c, border: '#000'},
      hover: {background: c, border: '#000'}};
  }
  function nodeItem(n) {
    return {id: n.id, label: n.label, x: n.x, y: n.y, group: groupOf(n),
      size: 8 + Math.min(14, 2 * Math.sqrt(outE.get(n.id).length + inE.get(n.id).length)),
      title: n.label + '\n' + (cats.get(n.category) || cats.get('unknown')).label};
  }
  function nodeDim(n, dim) {
    const c = nodeColour(n.category);
    if (dim) { c.background = DIM_NODE; c.border = '#d0d0d0'; }
    return {id: n.id, color: c, font: {color: dim ? '#b5b5b5' : '#222'}};
  }
  function edgeTitle(e) {
    return label(e.from) + ' \u2192 ' + label(e.to) + '\n' + SIGN[e.sign].name + ', ' + e.status +
      ', grade ' + e.grade + (e.opposed ? ', evidence both ways' : '');
  }
  function signOf(e) { return SIGN[String(e.sign)] || SIGN['1']; }
  let lit = null;  // what is highlighted: {nodes, edges} or null
  let rivalOf = new Map();  // claim id -> colour of its rival hypothesis (the question on show)
  function edgeColour(e) {
    if (lit && !lit.edges.has(e.id)) return DIM_EDGE;
    return (!lit && rivalOf.get(e.id)) || signOf(e).color;
  }
  function edgeItem(e) {
    const sign = signOf(e);
    const item = edgeDim(e);
    Object.assign(item, {from: e.from, to: e.to, width: 1 + e.strength, title: edgeTitle(e)});
    if (DASHES[e.status]) item.dashes = DASHES[e.status];
    if (sign.arrow !== 'arrow') item.arrows = {to: {enabled: true, type: sign.arrow}};
    if (e.curve) item.smooth = {enabled: true, type: 'curvedCW', roundness: e.curve};
    return item;
  }
  function edgeDim(e) {  // the colours of a claim under the current highlight or question
    const colour = edgeColour(e);
    return {id: e.id, color: {color: colour, highlight: colour === DIM_EDGE ? signOf(e).color : colour,
      hover: colour === DIM_EDGE ? signOf(e).color : colour}};
  }
  function rivalColours() {  // the rivals of the question on show, each with its colour
    const out = new Map();
    if (!state.q) return out;
    questions.get(state.q).hypotheses.filter((h) => hyps.has(h))
      .forEach((h, i) => out.set(h, RIVAL_COLOURS[i % RIVAL_COLOURS.length]));
    return out;
  }

  // ---------------------------------------------------------------- visibility
  let visNodes = new Set(), visEdges = new Set();
  function claimsOfQuestion(q) {
    const out = new Set();
    for (const h of (questions.get(q) || {hypotheses: []}).hypotheses) {
      const hyp = hyps.get(h); if (hyp) for (const c of hyp.claims) out.add(c);
    }
    return out;
  }
  /* The evidence filters: a claim stays while one supporting item passes every active one.
     Each is a [name, active, test] so the page can say what each one alone removes. */
  const EV_FILTERS = [
    ['min', () => state.min > 0, (it) => it.strength >= state.min],
    ['sys', () => state.sys.size > 0, (it) => it.systems.some((s) => state.sys.has(s))],
    ['prim', () => state.prim, (it) => !it.synthesis],
    ['des', () => state.xdes.size > 0, (it) => !state.xdes.has(it.design || '')],
  ];
  function keepsEvidence(e, skip) {
    const active = EV_FILTERS.filter((f) => f[0] !== skip && f[1]());
    if (!active.length) return true;
    return e.ev.some((it) => it.stance === 'supports' && active.every((f) => f[2](it)));
  }
  let removedBy = {};  // filter name -> claims that this filter alone hides
  function computeVisible() {
    const onlyH = state.only ? hyps.get(state.only).claimSet : null;
    const onlyQ = state.q ? claimsOfQuestion(state.q) : null;
    const evActive = EV_FILTERS.filter((f) => f[1]()).map((f) => f[0]);
    visEdges = new Set();
    removedBy = {cat: 0, st: 0, q: 0, only: 0, min: 0, sys: 0, prim: 0, des: 0, conn: 0};
    const touched = new Set();
    for (const e of DATA.edges) {
      const fails = [];
      if (state.xcat.has(nodes.get(e.from).category) || state.xcat.has(nodes.get(e.to).category)) fails.push('cat');
      if (state.xst.has(e.status)) fails.push('st');
      if (onlyH && !onlyH.has(e.id)) fails.push('only');
      if (onlyQ && !onlyQ.has(e.id)) fails.push('q');
      if (fails.length > 1) continue;
      if (evActive.length && !keepsEvidence(e)) {
        if (fails.length) continue;
        for (const f of evActive) if (keepsEvidence(e, f)) fails.push(f);
        if (fails.length !== 1) continue;  // hidden by several evidence filters together
      }
      if (fails.length) { removedBy[fails[0]] += 1; continue; }
      visEdges.add(e.id); touched.add(e.from); touched.add(e.to);
    }
    const restrict = onlyH || onlyQ || state.conn;
    visNodes = new Set();
    for (const n of DATA.nodes) {
      if (state.xcat.has(n.category)) continue;
      if (restrict && !touched.has(n.id)) { if (state.conn && !onlyH && !onlyQ) removedBy.conn += 1; continue; }
      visNodes.add(n.id);
    }
    const sel = selected();
    if (sel.node) visNodes.add(sel.node);
    if (sel.edge && visEdges.has(sel.edge)) { visNodes.add(edges.get(sel.edge).from); visNodes.add(edges.get(sel.edge).to); }
    $('counts').textContent = 'showing ' + visNodes.size + ' of ' + DATA.nodes.length + ' concepts, ' +
      visEdges.size + ' of ' + DATA.edges.length + ' claims';
    for (const box of document.querySelectorAll('[data-removes]')) {
      const n = removedBy[box.dataset.removes] || 0, what = box.dataset.removes === 'conn' ? ' concept' : ' claim';
      box.textContent = n ? 'hides ' + n + what + (n === 1 ? '' : 's') : '';
    }
  }
  function sameSet(a, b) {
    if (a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  /* Refresh a DataView whenever what it holds differs from what should be drawn: compared with
     the view's own contents, not with the previous state, so the first filter always applies. */
  function syncView(view, want) {
    if (view.length === want.size && view.getIds().every((id) => want.has(id))) return;
    view.refresh();
  }
  function refresh() {
    computeVisible();
    placeQuestion();
    syncView(nodeView, visNodes);
    syncView(edgeView, visEdges);
    labelKey = '';
    applyHighlight();
    renderQuestion();
    restoreSelection();
  }
  /* A question with a layout of its own (computed at export, labels apart) shows its concepts
     there; any other view uses the whole graph's positions. */
  let placedFor = '';
  function placeQuestion() {
    const want = state.q && questions.get(state.q).pos ? state.q : '';
    if (want === placedFor) return;
    const moves = [];
    if (placedFor) for (const id of Object.keys(questions.get(placedFor).pos)) { const n = nodes.get(id); if (n) moves.push({id: id, x: n.x, y: n.y}); }
    if (want) for (const [id, xy] of Object.entries(questions.get(want).pos)) if (nodes.has(id)) moves.push({id: id, x: xy[0], y: xy[1]});
    placedFor = want;
    if (moves.length) nodeSet.update(moves);
  }

  // ---------------------------------------------------------------- graph
  readHash();
  computeVisible();  // before the DataViews exist, so their first contents are already filtered
  const nodeSet = new vis.DataSet(DATA.nodes.map(nodeItem));
  /* Large graphs give vis-network only the claims it must draw in full or let users click: those
     around concepts on screen when zoomed in, and selected ones ("materialised"). Creating
     24,000 vis-network edges costs seconds; the rest are drawn as plain lines (level of detail,
     below). Small graphs materialise everything at once. */
  const materialised = new Set(BIG ? [] : DATA.edges.map((e) => e.id));
  const edgeSet = new vis.DataSet(BIG ? [] : DATA.edges.map(edgeItem));
  function materialise(ids) {
    if (!BIG) return;
    const add = [];
    for (const id of ids) {
      if (!materialised.has(id) && edges.has(id)) { materialised.add(id); add.push(edgeItem(edges.get(id))); }
    }
    if (add.length) edgeSet.add(add);
  }
  function incident(id) { return outE.get(id).concat(inE.get(id)); }
  const nodeView = new vis.DataView(nodeSet, {filter: (n) => visNodes.has(n.id)});
  const edgeView = new vis.DataView(edgeSet, {filter: (e) => visEdges.has(e.id)});
  let network = null;
  performance.mark('gutkg:datasets');

  // ---------------------------------------------------------------- highlights
  let dimmed = false;  // whether any item currently carries dimmed colours
  function highlightSets() {
    const [kind, ...rest] = state.hl.split(':');
    const arg = rest.join(':');
    if (kind === 'c') {
      const h = DATA.highlights[parseInt(arg, 10)];
      return h ? {nodes: new Set(h.nodes), edges: new Set(h.edges), label: h.label} : null;
    }
    if (kind === 'h' && hyps.has(arg)) {
      const h = hyps.get(arg), ns = new Set();
      for (const c of h.claims) { const e = edges.get(c); if (e) { ns.add(e.from); ns.add(e.to); } }
      return {nodes: ns, edges: new Set(h.claims), label: 'hypothesis: ' + h.label};
    }
    if (kind === 'p') {
      const [a, b] = arg.split('>');
      if (!nodes.has(a) || !nodes.has(b)) return null;
      const found = walks(a, b, state.len, false);
      return union(found, 'paths from ' + label(a) + ' to ' + label(b), found.length ? '' :
        'no path from ' + label(a) + ' to ' + label(b) + ' within ' + state.len + ' shown claims');
    }
    if (kind === 'l' && nodes.has(arg)) {
      const found = walks(arg, arg, state.len, true);
      return union(found, 'loops through ' + label(arg), found.length ? '' :
        'no loop through ' + label(arg) + ' within ' + state.len + ' shown claims');
    }
    return null;
  }
  function union(found, name, empty) {
    const ns = new Set(), es = new Set();
    for (const w of found) { for (const n of w.nodes) ns.add(n); for (const e of w.edges) es.add(e); }
    return {nodes: ns, edges: es, label: name, walks: found, empty: empty};
  }
  /* Simple paths a -> b (or loops through a) of at most maxLen shown claims, at most 30 walks.
     Nodes that cannot reach the target in the remaining steps are pruned (reverse BFS). */
  function walks(a, b, maxLen, loop) {
    const dist = new Map([[b, 0]]);
    let frontier = [b];
    for (let d = 1; d <= maxLen && frontier.length; d++) {
      const next = [];
      for (const v of frontier) for (const id of inE.get(v)) {
        if (!visEdges.has(id)) continue;
        const u = edges.get(id).from;
        if (!dist.has(u)) { dist.set(u, d); next.push(u); }
      }
      frontier = next;
    }
    const found = [], path = [a], onPath = new Set([a]);
    const t0 = performance.now();
    (function dfs(u) {
      if (found.length >= 30 || performance.now() - t0 > 300) return;
      const seen = new Set();
      for (const id of outE.get(u)) {
        if (!visEdges.has(id)) continue;
        const v = edges.get(id).to;
        if (seen.has(v)) continue;
        seen.add(v);
        const steps = path.length;  // claims so far + 1
        if (v === b) {  // a loop lists its nodes once; its steps close back to the start
          const ns = loop ? path.slice() : path.concat([b]);
          found.push({nodes: ns, edges: stepEdges(path.concat([b]))});
          continue;
        }
        if (onPath.has(v) || steps >= maxLen) continue;
        const left = dist.get(v);
        if (left === undefined || steps + left > maxLen) continue;
        path.push(v); onPath.add(v); dfs(v); path.pop(); onPath.delete(v);
      }
    })(a);
    found.sort((x, y) => x.nodes.length - y.nodes.length);
    return found;
  }
  function stepEdges(walk) {
    const out = [];
    for (let i = 0; i + 1 < walk.length; i++) {
      for (const id of outE.get(walk[i])) if (visEdges.has(id) && edges.get(id).to === walk[i + 1]) out.push(id);
    }
    return out;
  }
  let painted = '';  // the question whose rival colours the claims carry
  function applyHighlight() {
    const hl = state.hl ? highlightSets() : null;
    renderHighlightList(hl);
    lit = hl && (hl.nodes.size || hl.edges.size) ? hl : null;
    if (!lit && !dimmed && painted === state.q) return;
    rivalOf = new Map();
    for (const [h, c] of rivalColours()) for (const id of hyps.get(h).claims) if (!rivalOf.has(id)) rivalOf.set(id, c);
    painted = state.q;
    if (lit || dimmed) nodeSet.update(DATA.nodes.map((n) => nodeDim(n, !!lit && !lit.nodes.has(n.id))));
    edgeSet.update([...materialised].map((id) => edgeDim(edges.get(id))));
    dimmed = !!lit;
    if (network) network.redraw();
  }
  function setHighlight(spec, fit) {
    state.hl = spec;
    applyHighlight();
    writeHash(false);
    const hl = spec ? highlightSets() : null;
    if (fit && hl && hl.nodes.size) fitTo([...hl.nodes].filter((n) => visNodes.has(n)), true);
  }

  // ---------------------------------------------------------------- selection and cards
  function selected() {
    const [kind, ...rest] = state.sel.split(':');
    const id = rest.join(':');
    if (kind === 'n' && nodes.has(id)) return {node: id};
    if (kind === 'e' && edges.has(id)) return {edge: id};
    return {};
  }
  let labelled = '';  // the one claim whose status is written on the graph: the selected one
  function labelEdge(id) {
    if (labelled && labelled !== id && edgeSet.get(labelled)) edgeSet.update({id: labelled, label: ''});
    labelled = id;
    if (id && edgeSet.get(id)) { const e = edges.get(id); edgeSet.update({id: id, label: signOf(e).name + ' \u00b7 ' + e.status}); }
  }
  function restoreSelection() {
    const sel = selected();
    if (sel.node) materialise(incident(sel.node));
    if (sel.edge) materialise([sel.edge]);
    labelEdge(sel.edge && visEdges.has(sel.edge) ? sel.edge : '');
    if (sel.node && visNodes.has(sel.node)) { network.selectNodes([sel.node], false); showNode(sel.node); }
    else if (sel.edge && visEdges.has(sel.edge)) { network.setSelection({nodes: [], edges: [sel.edge]}, {unselectAll: true, highlightEdges: false}); showEdge(sel.edge); }
    else if (sel.edge) { network.unselectAll(); showEdge(sel.edge); }
    else { network.unselectAll(); hideCard(); }
  }
  function selectNode(id, zoom) {
    state.sel = 'n:' + id;
    if (!visNodes.has(id)) refresh(); else restoreSelection();
    if (zoom) network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 300, easingFunction: 'easeInOutQuad'}});
    writeHash(!zoom);  // after a zoom, 'animationFinished' saves the camera
  }
  function selectEdge(id) {
    state.sel = 'e:' + id;
    restoreSelection();
    writeHash(false);
  }
  function clearSelection() { state.sel = ''; network.unselectAll(); hideCard(); writeHash(false); }
  const card = $('card');
  function hideCard() { card.hidden = true; clear(card); }
  function openCard(...kids) {
    clear(card);
    card.appendChild(el('button', {cls: 'close', type: 'button', title: 'Close', 'aria-label': 'Close',
      on: {click: clearSelection}}, '\u00d7'));
    for (const k of kids) if (k) card.appendChild(k);
    card.hidden = false;
  }
  function conceptButton(id) {
    return el('button', {cls: 'link', type: 'button', on: {click: () => selectNode(id, true)}}, label(id));
  }
  function showNode(id) {
    const n = nodes.get(id), cat = cats.get(n.category) || cats.get('unknown');
    const dl = el('dl');
    if (n.synonyms.length) dl.append(el('dt', {text: 'synonyms'}), el('dd', {text: n.synonyms.join('; ')}));
    if (n.broader.length) {
      const dd = el('dd');
      n.broader.forEach((b, i) => { if (i) dd.append(', '); dd.append(conceptButton(b)); });
      dl.append(el('dt', {text: 'broader'}), dd);
    }
    if (n.mappings.length) {
      const dd = el('dd');
      n.mappings.forEach((m, i) => {
        if (i) dd.append(', ');
        const a = safeUrl(m.iri) ? el('a', {href: m.iri, text: m.curie || m.iri}) : el('span', {text: m.curie || m.iri});
        dd.append(a, ' (' + m.match + ')');
      });
      dl.append(el('dt', {text: 'mappings'}), dd);
    }
    openCard(
      el('h2', {text: n.label}),
      el('div', {cls: 'meta'}, swatch(cat.color), cat.label, el('span', {text: '\u00b7 gkc:' + n.id})),
      n.definition ? el('p', {text: n.definition}) : null,
      dl.childNodes.length ? dl : null,
      el('div', {cls: 'actions'},
        el('button', {type: 'button', on: {click: () => setHighlight('l:' + id, true)}}, 'Loops through this'),
        el('button', {type: 'button', on: {click: () => { $('pathfrom').value = n.label; $('pathto').focus(); }}}, 'Path from here\u2026'),
        el('button', {type: 'button', on: {click: () => { $('pathto').value = n.label; $('pathfrom').focus(); }}}, 'Path to here\u2026')),
      claimList('Claims out', outE.get(id), 'to', '\u2192 '),
      claimList('Claims in', inE.get(id), 'from', '\u2190 '),
    );
    card.dataset.kind = 'node'; card.dataset.id = id;
  }
  function claimList(title, ids, end, arrow) {
    const frag = el('div');
    frag.append(el('h3', {text: title + ' (' + ids.length + ')'}));
    const ul = el('ul', {cls: 'plain claims'});
    for (const id of ids) {
      const e = edges.get(id), shown = visEdges.has(id);
      ul.append(el('li', {cls: shown ? '' : 'filtered'},
        el('button', {cls: 'link', type: 'button', on: {click: () => selectEdge(id)}}, arrow + label(e[end])),
        el('span', {cls: 'tag', text: ' ' + SIGN[e.sign].name + ' \u00b7 ' + e.status +
          (shown ? '' : ' \u00b7 hidden by filters')})));
    }
    if (!ids.length) ul.append(el('li', {cls: 'tag', text: 'none'}));
    frag.append(ul);
    return frag;
  }
  function showEdge(id) {
    const e = edges.get(id), sign = SIGN[e.sign];
    const chips = el('div', {cls: 'chips'},
      el('span', {cls: 'chip ' + sign.cls, text: sign.name}),
      el('span', {cls: 'chip ' + e.status, text: e.status}),
      el('span', {cls: 'chip', text: 'grade: ' + e.grade}),
      e.opposed ? el('span', {cls: 'chip opposed', text: 'evidence both ways'}) : null,
      visEdges.has(id) ? null : el('span', {cls: 'chip hidden', text: 'hidden by filters'}));
    const inHyps = e.hypotheses.filter((h) => hyps.has(h));
    const hypsEl = inHyps.length ? el('div', {}, el('h3', {text: 'In hypotheses (' + inHyps.length + ')'})) : null;
    if (hypsEl) {
      const ul = el('ul', {cls: 'plain'});
      for (const h of inHyps) {
        ul.append(el('li', {}, el('button', {cls: 'link', type: 'button', title: 'Highlight this hypothesis',
          on: {click: () => { setHighlight('h:' + h, true); renderHyps(); }}}, hyps.get(h).label)));
      }
      hypsEl.append(ul);
    }
    const ol = el('ol', {cls: 'evidence'});
    for (const item of e.ev) {
      const it = Object.assign({}, REFS[item.source] || {}, item);
      const facts = [];
      const who = [it.species, it.model].filter(Boolean).join(', ');
      if (who) facts.push('species/model: ' + who);
      if (it.design) facts.push('design: ' + it.design);
      if (it.type) facts.push('evidence: ' + it.type);
      if (it.direction) facts.push('direction: ' + it.direction);
      facts.push('strength: ' + DATA.strengths[it.strength]);
      const links = el('div', {cls: 'ev-links'});
      if (it.doi) links.append(el('a', {href: doiUrl(it.doi), cls: 'doi', text: 'DOI ' + it.doi}));
      if (it.pmid && /^\d+$/.test(it.pmid)) links.append(el('a', {href: 'https://pubmed.ncbi.nlm.nih.gov/' + it.pmid + '/', cls: 'pubmed', text: 'PubMed ' + it.pmid}));
      if (!it.doi && !it.pmid && it.url && safeUrl(it.url)) links.append(el('a', {href: it.url, text: 'source'}));
      ol.append(el('li', {cls: it.stance},
        el('div', {cls: 'ev-head', text: (it.stance === 'opposes' ? 'opposes' : 'supports') + ' \u2014 ' + (it.citation || it.source || 'uncited')}),
        el('div', {cls: 'ev-meta', text: facts.join(' \u00b7 ')}),
        it.zonulin ? el('div', {cls: 'warn', text: 'rests on a commercial serum-zonulin assay'}) : null,
        it.description ? el('div', {text: it.description}) : null,
        links.childNodes.length ? links : null));
    }
    openCard(
      el('h2', {}, conceptButton(e.from), ' \u2192 ', conceptButton(e.to)),
      chips,
      e.mechanism ? el('p', {}, el('b', {text: 'Mechanism: '}), e.mechanism) : null,
      hypsEl,
      el('h3', {text: 'Evidence (' + e.ev.length + ')'}),
      e.ev.length ? ol : el('p', {cls: 'tag', text: 'No evidence item: the claim is hypothesised.'}),
      el('div', {cls: 'meta', text: 'claim gkcl:' + e.id}),
    );
    card.dataset.kind = 'edge'; card.dataset.id = id;
  }

  // ---------------------------------------------------------------- search
  const index = DATA.nodes.map((n) => ({id: n.id, label: norm(n.label), syn: n.synonyms.map(norm)}));
  function search(text) {
    const k = norm(text);
    if (!k) return [];
    const hits = [];
    for (const it of index) {
      let rank = -1, why = '';
      if (it.label === k) rank = 0;
      else if (it.syn.includes(k)) { rank = 1; why = nodes.get(it.id).synonyms[it.syn.indexOf(k)]; }
      else if (it.label.startsWith(k)) rank = 2;
      else if (it.label.includes(' ' + k)) rank = 3;
      else if (it.label.includes(k)) rank = 4;
      else {
        const s = it.syn.findIndex((x) => x.includes(k));
        if (s >= 0) { rank = 5; why = nodes.get(it.id).synonyms[s]; }
        else if (it.id.includes(k.replace(/ /g, '_'))) rank = 6;
      }
      if (rank >= 0) hits.push({id: it.id, rank: rank, why: why});
    }
    hits.sort((a, b) => a.rank - b.rank || label(a.id).length - label(b.id).length || label(a.id).localeCompare(label(b.id)));
    return hits.slice(0, 15);
  }
  const searchBox = $('search'), results = $('results');
  let hits = [], active = 0;
  function renderResults() {
    clear(results);
    hits.forEach((h, i) => {
      results.append(el('li', {role: 'option', 'aria-selected': i === active ? 'true' : 'false', data: {id: h.id},
        on: {mousedown: (ev) => { ev.preventDefault(); pick(i); }}},
        swatch(catColor(nodes.get(h.id).category)), el('span', {text: label(h.id)}),
        h.why ? el('span', {cls: 'why', text: '(' + h.why + ')'}) : null));
    });
    if (searchBox.value && !hits.length) results.append(el('li', {cls: 'why', text: 'no concept matches'}));
    results.hidden = !searchBox.value;
  }
  function pick(i) {
    const h = hits[i];
    if (!h) return;
    results.hidden = true;
    searchBox.value = label(h.id);
    selectNode(h.id, true);
  }
  searchBox.addEventListener('input', () => { hits = search(searchBox.value); active = 0; renderResults(); });
  searchBox.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { active = Math.min(active + 1, hits.length - 1); renderResults(); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp') { active = Math.max(active - 1, 0); renderResults(); ev.preventDefault(); }
    else if (ev.key === 'Enter') { hits = search(searchBox.value); pick(Math.min(active, hits.length - 1)); ev.preventDefault(); }
    else if (ev.key === 'Escape') { results.hidden = true; }
  });
  searchBox.addEventListener('blur', () => { results.hidden = true; });
  searchBox.addEventListener('focus', () => { if (searchBox.value) { hits = search(searchBox.value); renderResults(); } });

  // ---------------------------------------------------------------- panel
  function buildPanel() {
    if (DATA.notes.length) {
      $('notes').hidden = false;
      for (const n of DATA.notes) $('notelist').append(el('li', {text: n}));
    }
    const count = new Map();
    for (const n of DATA.nodes) count.set(n.category, (count.get(n.category) || 0) + 1);
    for (const c of DATA.categories) {
      if (!count.get(c.id)) continue;
      $('catlist').append(el('label', {}, el('input', {type: 'checkbox', 'data-cat': c.id, on: {change: (ev) => {
        if (ev.target.checked) state.xcat.delete(c.id); else state.xcat.add(c.id);
        refresh(); writeHash(false);
      }}}), swatch(c.color), el('span', {text: c.label}), el('span', {cls: 'count', text: String(count.get(c.id))})));
    }
    const scount = new Map();
    for (const e of DATA.edges) scount.set(e.status, (scount.get(e.status) || 0) + 1);
    const style = DASH_CSS;
    for (const s of DATA.statuses) {
      $('statuslist').append(el('label', {}, el('input', {type: 'checkbox', 'data-status': s, on: {change: (ev) => {
        if (ev.target.checked) state.xst.delete(s); else state.xst.add(s);
        refresh(); writeHash(false);
      }}}), el('span', {cls: 'line', style: {borderTopStyle: style[s] || 'solid'}}), el('span', {text: s}),
      el('span', {cls: 'count', text: String(scount.get(s) || 0)})));
    }
    const minSel = $('minstrength');
    DATA.grades.forEach((s, i) => minSel.append(el('option', {value: String(i), text: i ? s + ' or higher' : 'any (hypothesised too)'})));
    minSel.addEventListener('change', () => { state.min = parseInt(minSel.value, 10); refresh(); writeHash(false); });
    $('prim').addEventListener('change', (ev) => { state.prim = ev.target.checked; refresh(); writeHash(false); });
    if (!DATA.designs.length) $('deswrap').hidden = true;
    for (const s of DATA.designs) {
      $('deslist').append(el('label', {}, el('input', {type: 'checkbox', 'data-des': s, on: {change: (ev) => {
        if (ev.target.checked) state.xdes.delete(s); else state.xdes.add(s);
        refresh(); writeHash(false);
      }}}), el('span', {text: s})));
    }
    if (!DATA.systems.length) $('syswrap').hidden = true;
    for (const s of DATA.systems) {
      $('syslist').append(el('label', {}, el('input', {type: 'checkbox', 'data-sys': s, on: {change: (ev) => {
        if (ev.target.checked) state.sys.add(s); else state.sys.delete(s);
        refresh(); writeHash(false);
      }}}), el('span', {text: s})));
    }
    $('conn').addEventListener('change', (ev) => { state.conn = ev.target.checked; refresh(); writeHash(false); });
    const legend = $('edgelegend');
    for (const k of ['1', '-1', '0']) {
      legend.append(el('div', {}, el('span', {cls: 'line', style: {borderTopColor: SIGN[k].color}}),
        el('span', {cls: 'glyph', style: {color: SIGN[k].color}, text: {arrow: '\u25b6', bar: '\u22a3', circle: '\u25cb'}[SIGN[k].arrow]}),
        el('span', {text: SIGN[k].name})));
    }
    legend.append(el('div', {cls: 'sub', text: 'line width = grade of the claim; status by line style, its text on hover and on the selected claim'}));
    const qSel = $('question');
    qSel.append(el('option', {value: '', text: DATA.questions.length ? 'whole graph (no question)' : 'no questions in this graph'}));
    for (const q of DATA.questions) qSel.append(el('option', {value: q.id, text: q.label}));
    qSel.addEventListener('change', () => chooseQuestion(qSel.value));
    $('whole').addEventListener('click', () => chooseQuestion(''));
    if (!OPENING) $('whole').hidden = true;
    if (!DATA.hypotheses.length) $('hypsection').hidden = true;
    const names = $('conceptnames');
    for (const n of DATA.nodes) names.append(el('option', {value: n.label}));
    const lenSel = $('pathlen');
    for (let i = 1; i <= 8; i++) lenSel.append(el('option', {value: String(i), text: String(i)}));
    lenSel.addEventListener('change', () => { state.len = parseInt(lenSel.value, 10); if (state.hl.startsWith('p:') || state.hl.startsWith('l:')) setHighlight(state.hl, false); });
    $('findpaths').addEventListener('click', () => {
      const a = resolveName($('pathfrom').value), b = resolveName($('pathto').value);
      if (!a || !b) { say('type a concept name in both boxes'); return; }
      setHighlight('p:' + a + '>' + b, true);
    });
    $('clearhl').addEventListener('click', () => setHighlight('', false));
    $('opening').addEventListener('click', () => chooseQuestion(OPENING));
    $('fit').addEventListener('click', () => fitTo(null, true));
    $('reset').addEventListener('click', () => {
      try { history.replaceState(null, '', '#'); } catch (err) { /* sandboxed */ }
      state.xcat.clear(); state.xst.clear(); state.sys.clear(); state.xdes.clear(); state.prim = false;
      state.min = 0; state.q = ''; state.only = '';
      state.hl = ''; state.conn = true; state.sel = ''; state.cam = null; state.len = 4;
      syncControls(); refresh(); fitTo(null, false); writeHash(false);
    });
    $('copylink').addEventListener('click', () => {
      writeHash(true);
      const done = () => say('link copied');
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(location.href).then(done, () => say('copy the address bar'));
      } else say('copy the address bar');
    });
  }
  function resolveName(text) {
    const k = norm(text);
    if (!k) return null;
    const h = search(text);
    return h.length ? h[0].id : null;
  }
  let sayTimer = 0;
  function say(text) { $('status').textContent = text; clearTimeout(sayTimer); sayTimer = setTimeout(() => { $('status').textContent = ''; }, 3000); }
  function chooseQuestion(q) {
    state.q = q;
    if (state.only && (!state.q || hyps.get(state.only).question !== state.q)) state.only = '';
    state.cam = null;
    syncControls(); refresh(); placeCamera(true); writeHash(false);
  }
  /* The question on show: its rivals side by side with their colours and the verdict of
     `gutkg explain` on all evidence and on primary human evidence. */
  function renderQuestion() {
    const box = clear($('qbox'));
    $('opening').hidden = !OPENING || state.q === OPENING;
    if (!state.q) { box.hidden = true; return; }
    box.hidden = false;
    const q = questions.get(state.q), v = q.verdict, colours = rivalColours();
    box.append(el('h2', {cls: 'qtitle', text: q.label}));
    const byRole = new Map(v ? v.rows.map((r) => [r.role, r]) : []);
    const table = el('table', {cls: 'rivals'});
    table.append(el('tr', {}, el('th', {text: 'rival (colour on the graph)'}),
      v ? el('th', {text: 'all evidence'}) : null, v ? el('th', {text: 'primary human'}) : null));
    for (const [h, colour] of colours) {
      const hyp = hyps.get(h), row = byRole.get(hyp.role);
      const lead = v && row && v.leaders.includes(row.role);
      table.append(el('tr', {cls: (state.only === h ? 'active ' : '') + (lead ? 'lead' : ''), data: {rival: h}, title: hyp.definition},
        el('td', {}, el('span', {cls: 'rivalline', style: {borderTopColor: colour}}),
          el('button', {cls: 'link', type: 'button', title: 'Show only this rival (again: all rivals)',
            on: {click: () => { state.only = state.only === h ? '' : h; renderHyps(); refresh(); writeHash(false); }}}, hyp.label)),
        v ? el('td', {cls: 'grade', text: row ? row.label : '\u2014'}) : null,
        v ? el('td', {cls: 'grade', text: row ? row.human_label : '\u2014'}) : null));
    }
    box.append(table);
    if (v) {
      box.append(el('p', {cls: 'verdict', text: v.answer.join(' ')}));
      box.append(el('p', {cls: 'verdict human', text: v.human}));
    } else box.append(el('p', {cls: 'sub', text: 'No graded verdict: this question names no exposure and outcome.'}));
  }
  function renderHyps() {
    const ul = clear($('hyplist'));
    const list = DATA.hypotheses.filter((h) => !state.q || h.question === state.q);
    const colours = rivalColours();
    if (state.only) ul.append(el('li', {}, el('button', {type: 'button', on: {click: () => { state.only = ''; renderHyps(); refresh(); writeHash(false); }}}, 'show all claims again')));
    for (const h of list) {
      ul.append(el('li', {cls: (state.only === h.id || state.hl === 'h:' + h.id) ? 'active' : '', title: h.definition, data: {hyp: h.id}},
        colours.has(h.id) ? el('span', {cls: 'rivalline', style: {borderTopColor: colours.get(h.id)}}) : null,
        el('span', {cls: 'name', text: h.label + ' (' + h.claims.length + ')'}),
        el('button', {type: 'button', title: 'Highlight its claims', on: {click: () => { setHighlight(state.hl === 'h:' + h.id ? '' : 'h:' + h.id, true); renderHyps(); }}}, 'highlight'),
        el('button', {type: 'button', cls: 'only', title: 'Show only this rival hypothesis', on: {click: () => { state.only = state.only === h.id ? '' : h.id; renderHyps(); refresh(); writeHash(false); }}}, state.only === h.id ? 'all' : 'only')));
    }
  }
  function renderHighlightList(hl) {
    const ul = clear($('hllist'));
    DATA.highlights.forEach((h, i) => {
      ul.append(el('li', {cls: state.hl === 'c:' + i ? 'active' : ''},
        el('button', {cls: 'link', type: 'button', on: {click: () => setHighlight('c:' + i, true)}}, h.label)));
    });
    if (hl && hl.walks) {
      if (hl.empty) ul.append(el('li', {cls: 'warn', text: hl.empty}));
      for (const w of hl.walks) {
        const names = (hl.label.startsWith('loops') ? w.nodes.concat([w.nodes[0]]) : w.nodes).map(label);
        ul.append(el('li', {cls: 'tag', text: names.join(' \u2192 ')}));
      }
    }
    $('hlhead').textContent = hl ? 'Highlighted: ' + hl.label : (DATA.highlights.length ? 'Highlights from the export' : '');
    $('clearhl').hidden = !state.hl;
  }
  function syncControls() {
    for (const box of document.querySelectorAll('[data-cat]')) box.checked = !state.xcat.has(box.dataset.cat);
    for (const box of document.querySelectorAll('[data-status]')) box.checked = !state.xst.has(box.dataset.status);
    for (const box of document.querySelectorAll('[data-sys]')) box.checked = state.sys.has(box.dataset.sys);
    for (const box of document.querySelectorAll('[data-des]')) box.checked = !state.xdes.has(box.dataset.des);
    $('prim').checked = state.prim;
    $('minstrength').value = String(state.min);
    $('question').value = state.q;
    $('conn').checked = state.conn;
    $('pathlen').value = String(state.len);
    renderHyps();
  }

  // ---------------------------------------------------------------- level of detail
  /* On a large graph, zoomed out, arrowheads, dashes and edge labels are smaller than a pixel but
     take most of the drawing time (seconds for 24,000 claims on a software-rendered canvas).
     So: below LOD_SCALE, or with more than LOD_NODES concepts on screen ("coarse"), every shown
     claim is stroked as a plain line, one path per colour, and only selected claims are drawn in
     full; zoomed in, the claims around the concepts on screen are materialised and drawn in full,
     and any other shown claim as a plain line. This replaces two methods of vis-network's
     renderer (_drawEdges, _drawArrows) on this instance; if a vis-network version lacks them,
     every claim is materialised and drawing stays vis-network's own. */
  const LOD_SCALE = 0.35, LOD_NODES = 600;
  function viewBox() {
    const box = $('graph');
    return [network.DOMtoCanvas({x: 0, y: 0}), network.DOMtoCanvas({x: box.clientWidth, y: box.clientHeight})];
  }
  function onScreen() {
    const [a, b] = viewBox(), body = network.body.nodes, out = [];
    for (const id of visNodes) {
      const o = body[id];
      if (o && o.x >= a.x && o.x <= b.x && o.y >= a.y && o.y <= b.y) out.push(id);
    }
    return out;
  }
  function coarseView() { return network.getScale() < LOD_SCALE || onScreen().length > LOD_NODES; }
  let windowTimer = 0;
  function materialiseOnScreenSoon() {
    if (!BIG) return;
    clearTimeout(windowTimer);
    windowTimer = setTimeout(() => {
      if (coarseView()) return;
      materialise([].concat(...onScreen().map(incident)));
    }, 120);
  }
  function installLevelOfDetail() {
    const r = network.renderer, body = network.body;
    if (!BIG) return false;
    if (!r || !body || !body.edges || !body.nodes ||
        typeof r._drawEdges !== 'function' || typeof r._drawArrows !== 'function') {
      materialise(DATA.edges.map((e) => e.id));
      return false;
    }
    const fullEdges = r._drawEdges.bind(r), fullArrows = r._drawArrows.bind(r);
    let chosen = [], coarse = false;
    r._drawEdges = function (ctx) {
      coarse = coarseView();
      const paths = new Map();
      chosen = [];
      for (const id of visEdges) {
        const o = body.edges[id];
        if (o && o.connected) {
          if (!coarse) continue;  // vis-network draws it in full
          if (o.selected) { chosen.push(o); continue; }
        }
        const e = edges.get(id), a = body.nodes[e.from], b = body.nodes[e.to];
        if (!a || !b) continue;
        const c = edgeColour(e);
        let pts = paths.get(c);
        if (!pts) { pts = []; paths.set(c, pts); }
        pts.push(a.x, a.y, b.x, b.y);
      }
      ctx.save();
      ctx.lineWidth = 1 / network.getScale();
      ctx.globalAlpha = 0.6;
      if (ctx.setLineDash) ctx.setLineDash([]);
      const colours = [...paths.keys()].sort((x, y) => (y === DIM_EDGE) - (x === DIM_EDGE));
      for (const c of colours) {  // faded claims first, so highlighted ones lie on top
        const pts = paths.get(c);
        ctx.strokeStyle = c;
        ctx.beginPath();
        for (let i = 0; i < pts.length; i += 4) { ctx.moveTo(pts[i], pts[i + 1]); ctx.lineTo(pts[i + 2], pts[i + 3]); }
        ctx.stroke();
      }
      ctx.restore();
      if (!coarse) fullEdges(ctx);
      else for (const o of chosen) o.draw(ctx);
    };
    r._drawArrows = function (ctx) {
      if (!coarse) return fullArrows(ctx);
      for (const o of chosen) o.drawArrows(ctx);
    };
    return true;
  }

  // ---------------------------------------------------------------- label thinning
  /* Which concepts' labels are drawn: greedily by priority (selected, highlighted, the question's
     two concepts, then by number of shown claims), skipping any label whose box would overlap one
     already placed (at the current zoom), so labels never pile up; zooming in makes room for
     more. Zoomed out, the labels that fit are drawn at LABEL_FLOOR_PX on screen (so the hubs stay
     readable) instead of shrinking with the graph. vis-network's Label.draw is wrapped once (on
     its prototype) to skip the others; a selected or hovered concept always shows its label. */
  const LABEL_FLOOR_PX = 11;
  let labelOn = new Set(), labelKey = '', labelSize = FONT;
  const measure = document.createElement('canvas').getContext('2d');
  const widths = new Map();
  function labelWidth(id) {
    let w = widths.get(id);
    if (w === undefined) { measure.font = FONT + 'px system-ui, sans-serif'; w = measure.measureText(label(id)).width + 6; widths.set(id, w); }
    return w;
  }
  function chooseLabels() {
    const scale = network.getScale(), pos = network.getViewPosition();
    const sel = selected();
    const key = [scale.toFixed(4), pos.x.toFixed(1), pos.y.toFixed(1), state.sel, state.hl, visNodes.size, state.q].join('|');
    if (key === labelKey) return;
    labelKey = key;
    labelOn = new Set();
    labelSize = Math.max(FONT, LABEL_FLOOR_PX / scale);
    const body = network.body.nodes;
    for (const id of visNodes) { const o = body[id]; if (o && o.labelModule) o.labelModule.gutkgNode = id; }
    const [a, b] = viewBox();
    const q = state.q ? questions.get(state.q) : null;
    const ends = new Set(q && q.ends ? q.ends : []);  // the question's exposure and outcome
    const degree = (id) => { let d = 0; for (const e of incident(id)) if (visEdges.has(e)) d++; return d; };
    const cand = [];
    for (const id of visNodes) {
      const o = body[id];
      if (!o || o.x < a.x || o.x > b.x || o.y < a.y || o.y > b.y) continue;
      const rank = id === sel.node ? 3 : lit && lit.nodes.has(id) ? 2 : ends.has(id) ? 1 : 0;
      cand.push([rank, degree(id), id, o]);
    }
    cand.sort((x, y) => y[0] - x[0] || y[1] - x[1] || label(x[2]).length - label(y[2]).length);
    const CELL = 120 * labelSize / FONT, grid = new Map(), pad = 2 / scale, h = labelSize * 1.3;
    for (const [, , id, o] of cand) {
      const w = labelWidth(id) * labelSize / FONT, r = (o.options && o.options.size) || 10;
      const box = [o.x - w / 2 - pad, o.y + r + 1 - pad, o.x + w / 2 + pad, o.y + r + 1 + h + pad];
      const cells = [];
      for (let gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (let gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) cells.push(gx + ',' + gy);
      }
      let clash = false;
      for (const c of cells) {
        for (const other of grid.get(c) || []) {
          if (box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3]) { clash = true; break; }
        }
        if (clash) break;
      }
      if (clash && id !== sel.node) continue;
      labelOn.add(id);
      for (const c of cells) { if (!grid.has(c)) grid.set(c, []); grid.get(c).push(box); }
    }
  }
  function installLabelThinning() {
    const any = Object.values(network.body.nodes).find((o) => o.labelModule);
    if (!any) return false;
    const proto = Object.getPrototypeOf(any.labelModule);
    if (proto.gutkgThinned || typeof proto.draw !== 'function') return !!proto.gutkgThinned;
    const draw = proto.draw;
    proto.draw = function (ctx, x, y, selected, hover) {
      if (this.gutkgNode !== undefined) {
        if (!selected && !hover && !labelOn.has(this.gutkgNode)) return;
        if (this.fontOptions.size !== labelSize) { this.fontOptions.size = labelSize; this.labelDirty = true; }
      }
      return draw.apply(this, arguments);
    };
    proto.gutkgThinned = true;
    return true;
  }

  // ---------------------------------------------------------------- start
  function applyState() {
    syncControls();
    refresh();
    placeCamera();
  }
  function placeCamera(animate) {
    if (state.cam) network.moveTo({position: {x: state.cam[0], y: state.cam[1]}, scale: state.cam[2]});
    else {
      const hl = state.hl ? highlightSets() : null;
      const sel = selected();
      const focusOn = hl && hl.nodes.size ? [...hl.nodes] : sel.node ? [sel.node] : null;
      fitTo(focusOn ? focusOn.filter((n) => visNodes.has(n)) : null, !!animate);
    }
  }
  /* Fit the view to some concepts (all shown ones by default) from their positions: unlike
     vis-network's fit() this measures no labels, which matters at 5,000 nodes. A question's view
     is never zoomed out below legible labels (MIN_LABEL_PX): it is centred instead. */
  function fitTo(ids, animate) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const pos = ids && ids.length ? network.getPositions(ids) : network.getPositions([...visNodes]);
    for (const id in pos) {
      const p = pos[id];
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    }
    if (!Number.isFinite(x0)) return;
    const box = $('graph');
    const w = Math.max(box.clientWidth, 100), h = Math.max(box.clientHeight, 100);
    const legible = state.q && !(ids && ids.length) ? MIN_LABEL_PX / FONT : 0.02;
    const scale = Math.max(legible, Math.min(1.2, w / (x1 - x0 + 220), h / (y1 - y0 + 140)));
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: scale,
      animation: animate ? {duration: 300, easingFunction: 'easeInOutQuad'} : false});
  }
  function groups() {
    const out = {useDefaultGroups: false};
    for (const c of DATA.categories) out[c.id] = {color: nodeColour(c.id)};
    return out;
  }
  buildPanel();
  network = new vis.Network($('graph'), {nodes: nodeView, edges: edgeView}, {
    autoResize: true,
    physics: {enabled: false, stabilization: {enabled: false}},
    layout: {improvedLayout: false},
    interaction: {hover: !BIG, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, tooltipDelay: 250,
      multiselect: false, keyboard: false, selectConnectedEdges: true},
    groups: groups(),
    nodes: {shape: 'dot', size: 10, borderWidth: 1, borderWidthSelected: 3,
      font: {size: FONT, face: 'system-ui, sans-serif', strokeWidth: 3, strokeColor: '#ffffff'}},
    edges: {selectionWidth: 2, arrowStrikethrough: false, hoverWidth: 0.5, smooth: false,
      color: {inherit: false}, arrows: {to: {enabled: true, type: 'arrow', scaleFactor: 0.7}},
      font: {size: 13, color: MARK_COLOUR, strokeWidth: 4, strokeColor: '#ffffff', align: 'horizontal'}},
  });
  installLevelOfDetail();
  network.on('beforeDrawing', () => { installLabelThinning(); chooseLabels(); });
  performance.mark('gutkg:network');
  network.on('click', (p) => {
    if (p.nodes.length) selectNode(p.nodes[0], false);
    else if (p.edges.length) selectEdge(p.edges[0]);
    else if (state.sel) clearSelection();
  });
  for (const ev of ['dragEnd', 'zoom', 'animationFinished']) {
    network.on(ev, saveCameraSoon);
    network.on(ev, materialiseOnScreenSoon);
  }
  window.addEventListener('hashchange', () => { readHash(); applyState(); });
  applyState();
  network.once('afterDrawing', () => {
    placeCamera();  // vis-network fits the view on its first draw: place the camera after it
    materialiseOnScreenSoon();
    performance.mark('gutkg:ready');
    window.gutkgReady = performance.now();
    document.documentElement.dataset.ready = '1';
  });
  network.redraw();

  /* A small API for notebooks, scripts and tests. */
  window.gutkg = {
    network: network, state: state, data: DATA,
    visibleNodes: () => [...visNodes], visibleEdges: () => [...visEdges],
    selectNode: selectNode, selectEdge: selectEdge, setHighlight: setHighlight, search: search,
    edgeMidpoint: (id) => {
      const e = edges.get(id), p = network.getPositions([e.from, e.to]);
      return network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
    },
    nodePoint: (id) => network.canvasToDOM(network.getPositions([id])[id]),
    levelOfDetail: () => ({coarse: coarseView(), onScreen: onScreen().length, materialised: materialised.size}),
    /* what vis-network itself holds and draws (not the page's own state) */
    drawn: () => ({nodes: network.body.nodeIndices.slice(), edges: network.body.edgeIndices.slice()}),
    labelsShown: () => [...labelOn],
    removedBy: () => Object.assign({}, removedBy),
  };
})();
