// Runs DAGitty's own engine (r/inst/js/dagitty-alg.js, the bundle the R package uses) on cases read
// as JSON from stdin; prints adjustment sets, implications and instruments as JSON.
// Usage: node dagitty_runner.js DAGITTY_ALG_JS < cases.json
"use strict"
const fs = require("fs")
const vm = require("vm")
const ctx = vm.createContext({ console })
vm.runInContext(fs.readFileSync(process.argv[2], "utf8") + "\n;this.DAGitty = DAGitty;", ctx)
const D = ctx.DAGitty
const ids = (vs) => vs.map((v) => v.id).sort()
const cases = JSON.parse(fs.readFileSync(0, "utf8"))
const out = cases.map((c) => {
  // a fresh parse per analysis: listMsasTotalEffect marks forbidden nodes latent on the graph it gets
  const parse = () => D.GraphParser.parseGuess(c.dag)
  const r = { name: c.name }
  if (c.adjust) {
    r.adjustment_sets = D.GraphAnalyzer.listMsasTotalEffect(parse(), [], c.forbidden || [], c.max_sets || 1000).map(ids)
  }
  if (c.instruments) {
    r.instruments = D.GraphAnalyzer.conditionalInstruments(parse()).map((p) => [p[0].id, ids(p[1])])
  }
  if (c.implications) {
    const imp = D.GraphAnalyzer.listMinimalImplications(parse(), c.max_implications || 100000)
    r.implications = imp.map((i) => [i[0], i[1], i[2].map(ids)])
  }
  return r
})
process.stdout.write(JSON.stringify(out))
