#!/usr/bin/env node
// Run graphql-http's GraphQL-over-HTTP conformance audits (61 of them) against a server.
//
//   node audit.mjs http://127.0.0.1:8000/graphql [--json report.json]
//
// Prints one line per audit, then `graphql-http audit: P ok, W warnings, E errors`.
// W counts failed SHOULDs ("warn") and failed MAYs ("notice"); E counts failed MUSTs.
// Exit 0 only when every audit is ok (the project's target: all ok, no warning).
import { writeFile } from 'node:fs/promises';
import { auditServer } from 'graphql-http';

function parseArgs(argv) {
  const args = { url: null, json: null, headers: {} };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') args.json = argv[++i];
    else if (argv[i] === '-H') {
      const [name, ...value] = argv[++i].split(':');
      args.headers[name.trim()] = value.join(':').trim();
    }
    else if (argv[i].startsWith('--json=')) args.json = argv[i].slice(7);
    else if (argv[i] === '-h' || argv[i] === '--help') args.help = true;
    else args.url = argv[i];
  }
  return args;
}

// The failing response, for the JSON report (varying headers left out, long bodies cut).
async function describeResponse(res) {
  if (!res) return null;
  const headers = {};
  for (const [k, v] of res.headers.entries()) {
    if (!['date', 'expires', 'set-cookie', 'server-timing', 'age'].includes(k)) headers[k] = v;
  }
  let body = null;
  try {
    const text = await res.text();
    try { body = JSON.parse(text); } catch { body = text.length > 2048 ? text.slice(0, 2048) + '…' : text; }
  } catch { /* body already read or unreadable */ }
  return { status: res.status, headers, body };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args.url) {
    console.error('usage: node audit.mjs URL [--json FILE] [-H "Name: value"]');
    return args.help ? 0 : 2;
  }
  const t0 = performance.now();
  let results;
  try {
    // every request carries the given headers (e.g. a bearer token for a closed server)
    const fetchFn = (input, init = {}) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers ?? {})), ...args.headers } });
    results = await auditServer({ url: args.url, fetchFn });
  } catch (e) {
    // auditServer throws only on fatal problems, e.g. the server is not reachable.
    console.error(`graphql-http audit: fatal: ${e?.cause?.message ?? e?.message ?? e}`);
    return 2;
  }
  const ms = Math.round(performance.now() - t0);

  const count = { ok: 0, warn: 0, error: 0 };
  const report = [];
  for (const r of results) {
    const kind = r.status === 'ok' ? 'ok' : r.status === 'error' ? 'error' : 'warn';
    count[kind]++;
    const label = r.status === 'notice' ? 'notice' : kind;
    console.log(`${label.padEnd(6)} ${r.id} ${r.name}${r.reason ? ` -- ${r.reason}` : ''}`);
    const entry = { id: r.id, name: r.name, status: r.status };
    if (r.status !== 'ok') {
      entry.reason = r.reason;
      entry.response = await describeResponse(r.response);
    }
    report.push(entry);
  }
  const summary = `graphql-http audit: ${count.ok} ok, ${count.warn} warnings, ${count.error} errors`;
  if (args.json) {
    const doc = { url: args.url, total: results.length, ok: count.ok, warnings: count.warn,
      errors: count.error, ms, results: report };
    await writeFile(args.json, JSON.stringify(doc, null, 2) + '\n');
  }
  console.log(`(${results.length} audits in ${ms} ms)`);
  console.log(summary);
  return count.warn || count.error ? 1 : 0;
}

process.exitCode = await main();
