#!/usr/bin/env bash
# Builds gotemplate.wasm.br from the Go sources beside this script, offline, with Debian's Go and
# Debian's packaged Go libraries:
#   apt-get install golang-1.23-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
# and records in gotemplate.json the sha256 of the sources it was built from (the test compares).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
go="${GO:-/usr/lib/go-1.23/bin/go}"
debian=/usr/share/gocode/src
mapfile -t sources < <(cd "$here" && LC_ALL=C ls build.sh ./*.go | sed "s#^\./##")

gopath="$(mktemp -d)"
trap 'chmod -R u+w "$gopath"; rm -rf "$gopath"' EXIT
# GOPATH mode over Debian's tree; sprig and semver are imported with their /v3 module suffix.
mkdir -p "$gopath/src/github.com/Masterminds" "$gopath/src/gotemplate"
for dir in "$debian"/*; do
  [ "$(basename "$dir")" = github.com ] || ln -s "$dir" "$gopath/src/"
done
for dir in "$debian"/github.com/*; do
  [ "$(basename "$dir")" = Masterminds ] || ln -s "$dir" "$gopath/src/github.com/"
done
ln -s "$debian/github.com/Masterminds/goutils" "$gopath/src/github.com/Masterminds/"
for lib in semver sprig; do
  mkdir -p "$gopath/src/github.com/Masterminds/$lib"
  ln -s "$debian/github.com/Masterminds/$lib" "$gopath/src/github.com/Masterminds/$lib/v3"
done
cp "$here"/*.go "$gopath/src/gotemplate/"

(cd "$gopath/src/gotemplate" && GOPATH="$gopath" GO111MODULE=off GOPROXY=off GOCACHE="$gopath/cache" \
  GOOS=wasip1 GOARCH=wasm "$go" build -trimpath -ldflags='-s -w' -o "$gopath/gotemplate.wasm" .)

node - "$gopath/gotemplate.wasm" "$here" "$("$go" version)" "${sources[@]}" <<'JS'
const { readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { brotliCompressSync, constants } = require('node:zlib');
const [wasmPath, dir, goVersion, ...sources] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const br = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });
const hash = createHash('sha256');
for (const s of sources) hash.update(readFileSync(`${dir}/${s}`));
writeFileSync(`${dir}/gotemplate.wasm.br`, br);
const record = { sources, sourcesSha256: hash.digest('hex'), wasmSha256: createHash('sha256').update(wasm).digest('hex'), go: goVersion, wasmBytes: wasm.length };
writeFileSync(`${dir}/gotemplate.json`, JSON.stringify(record, null, 2) + '\n');
console.log(`gotemplate.wasm: ${wasm.length} bytes, ${br.length} brotli`);
JS
