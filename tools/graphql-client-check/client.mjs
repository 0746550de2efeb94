#!/usr/bin/env node
// Run one GraphQL operation through a real client (urql: cacheExchange + fetchExchange)
// and print the result as JSON.
//
//   node client.mjs URL 'query { hello }' [--variables '{"a":1}'] [--expect hello] [--post] [-H 'Name: value']
//   node client.mjs URL spec.json          spec: {"query": "...", "variables": {...}, "expect": "path.to.field"}
//
// Queries go out as urql sends them by default (GET when the URL is short enough, else POST);
// --post forces POST. Mutations are always POST.
// Exit 0 if the result has no error and, with "expect", the path resolves to a non-null value
// inside `data` (dots separate fields; numbers index lists, e.g. "units.0.id"). Exit 1 otherwise.
import { readFileSync, existsSync } from 'node:fs';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { parse, getOperationAST } from 'graphql';

function usage(msg) {
  if (msg) console.error(`graphql-client-check: ${msg}`);
  console.error("usage: node client.mjs URL (QUERY | SPEC.json | '{\"query\":...}') " +
    "[--variables JSON] [--expect PATH] [--post] [-H 'Name: value']");
  return 2;
}

function parseArgs(argv) {
  const a = { headers: {}, post: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--variables') a.variables = JSON.parse(argv[++i]);
    else if (arg === '--expect') a.expect = argv[++i];
    else if (arg === '--post') a.post = true;
    else if (arg === '-H' || arg === '--header') {
      const h = argv[++i];
      const at = h.indexOf(':');
      a.headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
    } else if (arg === '-h' || arg === '--help') a.help = true;
    else rest.push(arg);
  }
  [a.url, a.operation] = rest;
  return a;
}

// A spec file, an inline JSON spec, or the query text itself.
function loadSpec(operation) {
  if (existsSync(operation) && operation.endsWith('.json')) {
    return JSON.parse(readFileSync(operation, 'utf8'));
  }
  const t = operation.trim();
  if (t.startsWith('{') && t.includes('"query"')) {
    try { return JSON.parse(t); } catch { /* a query like `{ "query" ... }` is not JSON: fall through */ }
  }
  return { query: operation };
}

function resolvePath(data, path) {
  let v = data;
  for (const key of path.split('.')) {
    if (v == null) return undefined;
    v = Array.isArray(v) && /^\d+$/.test(key) ? v[Number(key)] : v[key];
  }
  return v;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) return usage();
  if (!args.url || !args.operation) return usage('URL and an operation are required');
  const spec = loadSpec(args.operation);
  const variables = args.variables ?? spec.variables ?? {};
  const expect = args.expect ?? spec.expect;

  let doc;
  try {
    doc = parse(spec.query);
  } catch (e) {
    console.log(JSON.stringify({ error: `query does not parse: ${e.message}` }, null, 2));
    return 1;
  }
  const op = getOperationAST(doc, spec.operationName);
  if (!op || op.operation === 'subscription') return usage('need one query or mutation operation');

  const http = [];
  const client = new Client({
    url: args.url,
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: 'network-only',
    preferGetMethod: args.post ? false : 'within-url-limit',
    fetchOptions: { headers: args.headers },
    // Wraps the global fetch only to record which method and status the client used.
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      http.push({ method: init?.method ?? 'GET', status: res.status,
        contentType: res.headers.get('content-type') });
      return res;
    },
  });

  const t0 = performance.now();
  const run = op.operation === 'mutation' ? client.mutation(doc, variables) : client.query(doc, variables);
  const result = await run.toPromise();
  const ms = Math.round((performance.now() - t0) * 10) / 10;

  const out = { operation: op.operation, http, ms, data: result.data ?? null };
  let failed = false;
  if (result.error) {
    failed = true;
    out.errors = result.error.graphQLErrors.map((e) => ({
      message: e.message, path: e.path, extensions: e.extensions }));
    if (result.error.networkError) out.networkError = String(result.error.networkError.message ?? result.error.networkError);
  }
  if (expect) {
    const value = resolvePath(result.data, expect);
    out.expect = { path: expect, value: value ?? null, found: value != null };
    if (value == null) failed = true;
  }
  console.log(JSON.stringify(out, null, 2));
  return failed ? 1 : 0;
}

process.exitCode = await main();
