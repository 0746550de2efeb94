#!/usr/bin/env node
// @neo4j/graphql over graphql-http, on the Neo4j that gongjian uses: the peer that
// bench/bench_peer.py measures gongjian against.
//
//   NEO4J_URI=neo4j://user:pass@127.0.0.1:7687 node server.mjs [PORT]
//
// NEO4J_URI takes the same form as gongjian's GONGJIAN_DB (credentials in the URL, or
// none when auth is off). Prints `PEER http://127.0.0.1:PORT/graphql` once it serves.
import { readFileSync } from "node:fs";
import http from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createHandler } from "graphql-http/lib/use/http";
import neo4j from "neo4j-driver";

const raw = process.env.NEO4J_URI;
if (!raw) {
  console.error("NEO4J_URI is not set (e.g. neo4j://neo4j:password@127.0.0.1:7687)");
  process.exit(2);
}
const url = new URL(raw);
const auth = url.username
  ? neo4j.auth.basic(decodeURIComponent(url.username), decodeURIComponent(url.password))
  : undefined;
const database = url.pathname.replace(/^\//, "") || undefined;
const driver = neo4j.driver(`${url.protocol}//${url.host}`, auth);

const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const handler = createHandler({
  schema,
  context: () => (database ? { sessionConfig: { database } } : {}),
});

const server = http.createServer((req, res) => {
  if (req.url === "/graphql" || req.url.startsWith("/graphql?")) {
    handler(req, res);
  } else {
    res.writeHead(404).end();
  }
});
const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
server.listen(port, "127.0.0.1", () => {
  console.log(`PEER http://127.0.0.1:${server.address().port}/graphql`);
});

const stop = async () => {
  server.close();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// a peer whose parent died does not linger
process.stdin.on("end", stop);
process.stdin.resume();
