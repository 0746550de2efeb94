#!/usr/bin/env bash
# Breaking changes in schema/schema.graphql since REV (default: the previous commit).
set -uo pipefail
cd "$(dirname "$0")/../.."
rev="${1:-HEAD~1}"
old=$(mktemp --suffix=.graphql)
trap 'rm -f "$old"' EXIT
if ! git show "$rev:schema/schema.graphql" > "$old" 2>/dev/null; then
  echo "sdl-diff: no schema/schema.graphql at $rev; nothing to compare"
  exit 0
fi
out=$(cd tools/graphql-inspector && npx --no-install graphql-inspector diff "$old" ../../schema/schema.graphql 2>&1)
status=$?
echo "$out" | grep -v "npm warn"
if [ $status -ne 0 ]; then
  echo "BREAKING: the GraphQL schema has breaking changes since $rev (see above)"
else
  echo "sdl-diff: no breaking change since $rev"
fi
exit 0
