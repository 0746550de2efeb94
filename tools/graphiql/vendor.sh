#!/usr/bin/env bash
# Vendor the browser files that strawberry's GraphiQL page loads from a CDN, so the page
# works offline. Installs the pinned npm packages (npm ci, from package-lock.json), copies
# the 7 files into app/static/graphiql/ (or the folder given as $1), writes MANIFEST.txt
# there and checks every file's sha384 against strawberry 0.341's `integrity` attributes.
#
#   bash tools/graphiql/vendor.sh [DEST]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="${1:-$HERE/../../app/static/graphiql}"

# local file | package | path in the package | CDN URL in strawberry's graphiql.html | SRI hash there
FILES=(
  "react.production.min.js|react|umd/react.production.min.js|https://unpkg.com/react@18.2.0/umd/react.production.min.js|sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"
  "react-dom.production.min.js|react-dom|umd/react-dom.production.min.js|https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js|sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"
  "js.cookie.min.js|js-cookie|dist/js.cookie.min.js|https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js|sha384-/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN"
  "graphiql.min.css|graphiql|graphiql.min.css|https://unpkg.com/graphiql@3.8.3/graphiql.min.css|sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"
  "plugin-explorer.css|@graphiql/plugin-explorer|dist/style.css|https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css|sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"
  "graphiql.min.js|graphiql|graphiql.min.js|https://unpkg.com/graphiql@3.8.3/graphiql.min.js|sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"
  "plugin-explorer.umd.js|@graphiql/plugin-explorer|dist/index.umd.js|https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js|sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"
)

cd "$HERE"
# graphiql-explorer (inside the explorer plugin) declares a React 15/16 peer: npm warns and
# overrides it; harmless, the browser only gets the prebuilt UMD bundles.
npm ci --no-audit --no-fund --loglevel=error

sri() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha384-"+c.createHash("sha384").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"; }
version() { node -p 'require(process.argv[1]).version' "$HERE/node_modules/$1/package.json"; }

mkdir -p "$DEST"
MANIFEST="$DEST/MANIFEST.txt"
{
  echo "# GraphiQL browser files vendored by tools/graphiql/vendor.sh for offline use."
  echo "# Each replaces the CDN URL in strawberry's graphiql.html; the sha384 is the SRI value"
  echo "# (same bytes as the CDN copy: strawberry's integrity attributes stay valid)."
  echo "# file	package@version	sha384	path-in-package	cdn-url"
} > "$MANIFEST"

mismatch=0
for row in "${FILES[@]}"; do
  IFS='|' read -r file pkg path url want <<< "$row"
  cp "node_modules/$pkg/$path" "$DEST/$file"
  got="$(sri "$DEST/$file")"
  printf '%s\t%s@%s\t%s\t%s\t%s\n' "$file" "$pkg" "$(version "$pkg")" "$got" "$path" "$url" >> "$MANIFEST"
  if [[ "$got" == "$want" ]]; then
    echo "ok       $file  $got"
  else
    echo "MISMATCH $file  got $got, strawberry's integrity is $want"
    mismatch=1
  fi
done
echo "vendored $(( ${#FILES[@]} )) files into $(cd "$DEST" && pwd) (MANIFEST.txt written)"
exit "$mismatch"
