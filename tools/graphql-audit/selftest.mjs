#!/usr/bin/env node
// Check audit.mjs against two tiny servers on 127.0.0.1 (random ports, stopped at the end):
//  - graphql-http's own handler: expected all ok, exit 0;
//  - the same handler answering every error as 200 application/json: expected warnings, exit 1.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

const schema = buildSchema('type Query { hello(name: String): String }');
const rootValue = { hello: ({ name }) => `hello ${name ?? 'world'}` };
const handler = createHandler({ schema, rootValue });

function listen(fn) {
  return new Promise((resolve) => {
    const server = http.createServer(fn);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// A sloppier server: always application/json and status 200 (legacy "watershed" behaviour).
async function sloppy(req, res) {
  req.headers.accept = 'application/json';
  const writeHead = res.writeHead.bind(res);
  res.writeHead = (status, ...rest) => writeHead(status >= 400 && status < 405 ? 200 : status, ...rest);
  return handler(req, res);
}

function runAudit(url) {
  const script = fileURLToPath(new URL('./audit.mjs', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [script, url], { timeout: 60_000 }, (err, stdout) =>
      resolve({ code: err ? err.code ?? 1 : 0, stdout }));
  });
}

const good = await listen(handler);
const bad = await listen(sloppy);
let failed = 0;
try {
  for (const [name, server, wantCode, wantLine] of [
    ['graphql-http handler', good, 0, /^graphql-http audit: \d+ ok, 0 warnings, 0 errors$/m],
    ['sloppy handler', bad, 1, /^graphql-http audit: \d+ ok, [1-9]\d* warnings, \d+ errors$/m],
  ]) {
    const url = `http://127.0.0.1:${server.address().port}/graphql`;
    const t0 = performance.now();
    const { code, stdout } = await runAudit(url);
    const summary = stdout.trim().split('\n').at(-1);
    const ok = code === wantCode && wantLine.test(stdout);
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: exit ${code}, "${summary}" (${Math.round(performance.now() - t0)} ms)`);
  }
} finally {
  good.close();
  bad.close();
}
console.log(`graphql-audit selftest: ${2 - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
