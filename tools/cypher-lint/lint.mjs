#!/usr/bin/env node
// Lint Cypher queries as Neo4j 5 Cypher, with Neo4j's own front end
// (@neo4j-cypher/language-support), no server needed.
//
//   node lint.mjs < input.json > report.json     (exit 1 if any query has an error)
//   node lint.mjs --selftest                      (checks the linter itself)
//
// Input:  {"schema": {"labels": [], "relationshipTypes": [], "propertyKeys": []},
//          "queries": [{"name": "q1", "text": "MATCH ...", "parameters": ["p1"]}]}
// Output: {"results": [{"name", "ms", "errors": [{message, line, column}], "warnings": [...]}],
//          "errorCount": N, "warningCount": N, "totalMs": N}
// line and column are 1-based.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

// Only the functions and procedures of the mock schema are taken (they are Neo4j 5's and 25's
// real ones); its labels, types and keys are made-up test data that would hide our misspellings.
export function buildDbSchema(schema = {}, parameters = []) {
  const params = Array.isArray(parameters)
    ? Object.fromEntries(parameters.map((p) => [String(p).replace(/^\$/, ''), null]))
    : { ...parameters }; // an object {name: sampleValue} is accepted too
  return {
    functions: testData.mockSchema.functions,
    procedures: testData.mockSchema.procedures,
    defaultLanguage: 'CYPHER 5',
    labels: [...(schema.labels ?? [])],
    relationshipTypes: [...(schema.relationshipTypes ?? [])],
    propertyKeys: [...(schema.propertyKeys ?? [])],
    // The linter only checks that a parameter's key is present (value !== undefined).
    parameters: params,
  };
}

export function lintOne(query, schema) {
  const t0 = performance.now();
  const { diagnostics } = lintCypherQuery(query.text ?? '', buildDbSchema(schema, query.parameters ?? []));
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  const errors = [];
  const warnings = [];
  for (const d of diagnostics) {
    const item = {
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: SEVERITY[d.severity] ?? String(d.severity),
    };
    (d.severity === 1 ? errors : warnings).push(item);
  }
  return { name: query.name ?? '', ms, errors, warnings };
}

export function lintAll(doc) {
  const t0 = performance.now();
  const results = (doc.queries ?? []).map((q) => lintOne(q, doc.schema ?? {}));
  return {
    results,
    errorCount: results.reduce((n, r) => n + r.errors.length, 0),
    warningCount: results.reduce((n, r) => n + r.warnings.length, 0),
    totalMs: Math.round(performance.now() - t0),
  };
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

// [name, query, parameters, expected errors (regexes, in order; [] = none), expected warnings]
const SELFTEST = {
  schema: { labels: ['Unit', 'Demand'], relationshipTypes: ['OFFERS'], propertyKeys: ['id', 'title'] },
  cases: [
    ['syntax', 'MATCH (n RETURN n', [], [/Invalid input 'RETURN'/], []],
    ['unknown function', 'RETURN nosuchfn(1)', [], [/Function nosuchfn is not present/], []],
    ['FalkorDB procedure', "CALL db.idx.fulltext.queryNodes('X','y')", [], [/Procedure db\.idx\.fulltext\.queryNodes is not present/], []],
    ['undeclared parameter', 'MATCH (n:Unit {id: $id}) RETURN n', [], [/Parameter \$id is not defined/], []],
    ['unknown label warns', 'MATCH (n:Nope) RETURN n', [], [], [/Label Nope is not present/]],
    ['bulk merge', 'UNWIND $rows AS r MERGE (n:Unit {id: r.id}) SET n += r.props', ['rows'], [], []],
    ['pattern comprehension', 'MATCH (a:Unit) RETURN a.id AS id, [(a)-[:OFFERS]->(d:Demand) | d.id] AS ids', [], [], []],
    ['neo4j procedure', 'CALL db.labels() YIELD label RETURN label', [], [], []],
    ['parameters', 'MATCH (n:Unit) WHERE n.id IN $ids RETURN n.title ORDER BY n.title SKIP $skip LIMIT $limit', ['ids', '$skip', 'limit'], [], []],
  ],
};

function selftest() {
  let failed = 0;
  const times = [];
  for (const [name, text, parameters, wantErr, wantWarn] of SELFTEST.cases) {
    const r = lintOne({ name, text, parameters }, SELFTEST.schema);
    times.push(r.ms);
    const check = (got, want) =>
      got.length === want.length && want.every((re, i) => re.test(got[i].message));
    const ok = check(r.errors, wantErr) && check(r.warnings, wantWarn);
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${r.ms} ms)` +
      (ok ? '' : `\n     errors: ${JSON.stringify(r.errors)}\n     warnings: ${JSON.stringify(r.warnings)}`));
  }
  const warm = times.slice(1);
  console.log(`first query ${times[0]} ms (warm-up), then mean ${(warm.reduce((a, b) => a + b, 0) / warm.length).toFixed(1)} ms a query`);
  console.log(`cypher-lint selftest: ${SELFTEST.cases.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function main() {
  if (process.argv.includes('--selftest')) return selftest();
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log('usage: node lint.mjs < queries.json   |   node lint.mjs --selftest');
    return 0;
  }
  let doc;
  try {
    doc = JSON.parse(await readStdin());
  } catch (e) {
    console.error(`cypher-lint: cannot read the input JSON from stdin: ${e.message}`);
    return 2;
  }
  const report = lintAll(doc);
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return report.errorCount > 0 ? 1 : 0;
}

process.exitCode = await main();
