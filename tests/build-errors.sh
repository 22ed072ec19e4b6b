#!/usr/bin/env bash
# A malformed corpus must stop the build with `path:line: problem; what to do` and leave the
# previous good build untouched. For each corpus in tests/fixtures/malformed/ (and a 10 MB
# single line made here), runs `PAPERS=corpus OUT=dir ./build.sh` over a good build in dir.
# A collection with bad entries among good ones builds, each bad entry a warning, unless
# STRICT=1, which stops the build on them as on a malformed corpus; so does a collection
# whose every entry is bad.
#
#   tests/build-errors.sh DIR   DIR holds a good build (made first if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:?usage: tests/build-errors.sh DIR}
if [ ! -f "$out/paper_search_bg.wasm" ]; then
  OUT="$out" PAPERS=tests/fixtures/hostile.jsonl ./build.sh > /dev/null
fi
checksum() { (cd "$out" && sha256sum -- * | sha256sum); }
before=$(checksum)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ echo "A title"; head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; echo; } > "$tmp/ten-megabyte-line.txt"

# corpus, then the line its error must name
cases=(
  tests/fixtures/malformed/empty.txt 1
  tests/fixtures/malformed/blank.txt 1
  tests/fixtures/malformed/odd-lines.txt 4
  tests/fixtures/malformed/invalid-utf8.txt 2
  tests/fixtures/malformed/truncated.jsonl 2
  tests/fixtures/malformed/bad-json.jsonl 2
  tests/fixtures/malformed/missing-title.jsonl 2
  tests/fixtures/malformed/duplicate-ids.jsonl 3
  tests/fixtures/malformed/no-entries.bib 1
  tests/fixtures/malformed/unclosed-array.json 10
  "$tmp/ten-megabyte-line.txt" 2
  tests/fixtures/collections/all-bad.bib 3
  strict:tests/fixtures/collections/publications.bib 70
  strict:tests/fixtures/collections/windows.bib 14
)
passed=0
failed=0
for ((i = 0; i < ${#cases[@]}; i += 2)); do
  corpus=${cases[i]}
  line=${cases[i + 1]}
  strict=0
  case "$corpus" in strict:*) strict=1 corpus=${corpus#strict:} ;; esac
  name=$(basename "$corpus")
  if OUT="$out" PAPERS="$corpus" STRICT=$strict ./build.sh > "$tmp/log" 2>&1; then
    echo "not ok - $name: the build succeeded"
    failed=$((failed + 1))
  elif ! grep -qE "error: [^ ]*$name:$line: [^;]+; " "$tmp/log"; then
    echo "not ok - $name: no '$name:$line: problem; fix' message; the build printed:"
    tail -5 "$tmp/log"
    failed=$((failed + 1))
  elif grep -q "panicked" "$tmp/log"; then
    echo "not ok - $name: the build panicked"
    failed=$((failed + 1))
  elif [ "$(checksum)" != "$before" ]; then
    echo "not ok - $name: the previous build in $out changed"
    failed=$((failed + 1))
  else
    echo "ok - $name: $(grep -oE "$name:$line: .*" "$tmp/log" | head -1 | cut -c1-110)"
    passed=$((passed + 1))
  fi
done
# A corpus too large for one file: `./build.sh single` refuses it, says what to do instead, and
# leaves the previous build alone.
for i in $(seq 0 2000); do printf '{"id": "p%d", "title": "Paper %d", "abstract": "Words of paper %d."}\n' "$i" "$i" "$i"; done \
  > "$tmp/two-thousand-and-one.jsonl"
if OUT="$out" PAPERS="$tmp/two-thousand-and-one.jsonl" ./build.sh single > "$tmp/log" 2>&1; then
  echo "not ok - ./build.sh single built one file of 2,001 papers"
  failed=$((failed + 1))
elif ! grep -q "2001 papers are more than one file should hold.*serve the sharded build instead.*SHARDS=off" "$tmp/log"; then
  echo "not ok - ./build.sh single refused 2,001 papers without saying what to do; it printed:"
  tail -5 "$tmp/log"
  failed=$((failed + 1))
elif [ "$(checksum)" != "$before" ]; then
  echo "not ok - ./build.sh single changed the previous build in $out"
  failed=$((failed + 1))
else
  echo "ok - ./build.sh single refuses 2,001 papers: $(grep -oE 'more than one file should hold[^;]*' "$tmp/log" | head -1)"
  passed=$((passed + 1))
fi

# The same collection without STRICT: built, each bad entry a warning by its line, and the
# count of entries read and skipped at the end.
collection=tests/fixtures/collections/publications.bib
if ! OUT="$tmp/tolerant" PAPERS="$collection" ./build.sh > "$tmp/log" 2>&1; then
  echo "not ok - publications.bib without STRICT: the build failed; it printed:"
  tail -5 "$tmp/log"
  failed=$((failed + 1))
elif [ "$(grep -cE "^warning: [^ ]*publications\.bib:[0-9]+: entry [^:]+: [^;]+; " "$tmp/log")" -ne 5 ]; then
  echo "not ok - publications.bib without STRICT: not the 5 warnings of its bad entries; it printed:"
  grep -E "warning|entries" "$tmp/log" || true
  failed=$((failed + 1))
elif ! tail -1 "$tmp/log" | grep -q "publications.bib: 6 of 11 entries indexed, 5 skipped (listed above)"; then
  echo "not ok - publications.bib without STRICT: the build does not end with the count of entries; it ended:"
  tail -2 "$tmp/log"
  failed=$((failed + 1))
else
  echo "ok - publications.bib without STRICT: built; $(tail -1 "$tmp/log" | sed -e 's/.*publications.bib: //' -e 's/\x1b\[[0-9;]*m//g')"
  passed=$((passed + 1))
fi

echo "malformed corpora: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
