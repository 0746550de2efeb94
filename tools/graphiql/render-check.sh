#!/usr/bin/env bash
# Load a GraphiQL page in headless Chromium and check that GraphiQL really rendered
# (not just strawberry's "Loading..." placeholder, which is what an offline CDN page shows).
#
#   bash tools/graphiql/render-check.sh URL [SCREENSHOT.png]
#
# Exit 0 only if the rendered DOM has GraphiQL's own container, a CodeMirror editor and the
# query editor. Installs Debian's chromium if /usr/bin/chromium is missing (needs root).
set -euo pipefail

URL="${1:?usage: render-check.sh URL [SCREENSHOT.png]}"
SHOT="${2:-}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$CHROMIUM" ]]; then
  echo "render-check: $CHROMIUM missing, installing Debian's chromium" >&2
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

PROFILE="$(mktemp -d)"
DOM="$(mktemp)"
trap 'rm -rf "$PROFILE" "$DOM"' EXIT

FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-dev-shm-usage --user-data-dir="$PROFILE" --virtual-time-budget=10000
  --window-size=1280,800)

start=$(date +%s.%N)
timeout 90 "$CHROMIUM" "${FLAGS[@]}" --dump-dom "$URL" > "$DOM" 2>/dev/null || true
end=$(date +%s.%N)
if [[ -n "$SHOT" ]]; then
  timeout 90 "$CHROMIUM" "${FLAGS[@]}" --screenshot="$SHOT" "$URL" >/dev/null 2>&1 || true
fi

count() { { grep -o "$1" "$DOM" || true; } | wc -l | tr -d ' '; }
containers=$(count 'class="graphiql-container"')
codemirror=$(count 'class="CodeMirror')
query_editor=$(count 'graphiql-query-editor')
execute=$(count 'graphiql-execute-button')
explorer=$(count 'aria-label="Show GraphiQL Explorer"')
docs=$(count 'aria-label="Show Documentation Explorer"')
loading=$(count '>Loading\.\.\.<')

echo "render-check: $URL ($(wc -c < "$DOM") bytes of DOM, $(awk "BEGIN{printf \"%.1f\", $end - $start}") s)"
echo "  graphiql-container elements: $containers"
echo "  CodeMirror editors:          $codemirror"
echo "  query editor:                $query_editor"
echo "  execute button:              $execute"
echo "  explorer plugin button:      $explorer"
echo "  docs explorer button:        $docs"
echo "  'Loading...' placeholder:    $loading"
[[ -n "$SHOT" ]] && echo "  screenshot: $SHOT"

# The page's own <div id="graphiql" class="graphiql-container"> counts once even when nothing
# loaded; React then renders GraphiQL's own container inside it, so a real render has >= 2.
if (( containers >= 2 && codemirror >= 1 && query_editor >= 1 && explorer >= 1 && loading == 0 )); then
  echo "render-check: OK, GraphiQL rendered"
  exit 0
fi
echo "render-check: FAIL, GraphiQL did not render"
exit 1
