# The steps of `./build.sh test`, run in the order at the end of this file. build.sh sources it,
# after set-up, for its build steps (build, build_site, npm_package, build_indexer,
# check_wasm_bindgen, say): run `./build.sh test`, not this file.
# shellcheck shell=bash
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "scripts/test.sh is part of ./build.sh: run ./build.sh test" >&2
  exit 2
fi
root=${root:?build.sh sets the repository root}

lint() {
  say "lints (rustfmt, clippy native and wasm32: embedded, sharded and the indexer)"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --all-targets --features shards -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features indexer -- -D warnings
  cargo clippy --all-targets --features semantic -- -D warnings
  PAPER_SEARCH_INDEX=none cargo clippy --target wasm32-unknown-unknown --lib --features shards,semantic -- -D warnings
}

# The native tests always run on the default corpus: their expectations are about it.
test_native() {
  say "native tests (cargo test)"
  env -u PAPERS cargo test --all-targets
  env -u PAPERS cargo test --doc
  say "native tests of search by meaning (the model file, the encoder against reference vectors)"
  scripts/model.sh
  env -u PAPERS cargo test --features semantic --lib semantic
  env -u PAPERS cargo test --features semantic --test semantic
  env -u PAPERS cargo test --features semantic --test semantic_shards
}

test_wasm() {
  check_wasm_bindgen
  say "wasm tests in headless Chromium (tests/web.rs)"
  env -u PAPERS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown --test web
  say "wasm tests in headless Firefox (tests/web.rs)"
  env -u PAPERS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    GECKODRIVER="$(command -v geckodriver)" \
    cargo test --target wasm32-unknown-unknown --test web
  test_wasm_shards
  say "wasm tests through wasm-pack (wasm-pack test --headless --chrome)"
  env -u PAPERS CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome
}

# The shard loader's wasm tests (tests/web_shards.rs) in Chromium and Firefox: the default
# corpus built sharded into the test module, its parts served on 127.0.0.1 (gzipped, and plain
# under plain/) with the embedded build beside them as embedded.bin, the answers to match.
test_wasm_shards() {
  say "shard loader wasm tests in headless Chromium and Firefox (tests/web_shards.rs)"
  local dir="$root/target/wasm-shards"
  rm -rf "$dir"
  mkdir -p "$dir/site/plain"
  build_indexer
  target/release/paper-search-index data/papers.txt "$dir" --shards on
  target/release/paper-search-index data/papers.txt "$dir/embedded" --shards off
  cp "$dir/embedded/index.bin" "$dir/site/embedded.bin"
  local parts
  parts=$(basename "$dir"/index-*)
  cp -r "$dir/$parts" "$dir/site/"
  mkdir -p "$dir/site/plain/$parts"
  for f in "$dir/$parts"/*.gz; do gzip -dc "$f" > "$dir/site/plain/$parts/$(basename "$f")"; done
  node scripts/serve.mjs "$dir/site" 0 --cors > "$dir/server.log" &
  local server=$!
  # The server goes when the tests are done, or when a failure ends the script.
  # shellcheck disable=SC2064
  trap "kill $server 2>/dev/null || true" EXIT
  local url=""
  for _ in $(seq 50); do
    url=$(grep -oE 'http://[0-9.:]+/' "$dir/server.log" | head -1 || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "build.sh: the parts' server did not start" >&2; exit 1; }
  local env=(env -u PAPERS CARGO_TARGET_DIR="$root/target/wasm-shards-target" PAPER_SEARCH_INDEX="$dir/index.bin"
    PAPER_SEARCH_PARTS_URL="$url" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner)
  "${env[@]}" CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown --features shards --test web_shards
  "${env[@]}" GECKODRIVER="$(command -v geckodriver)" \
    cargo test --target wasm32-unknown-unknown --features shards --test web_shards
  kill "$server" 2>/dev/null || true
  trap - EXIT
}

# Malformed corpora must stop the build and keep the last good one; the hostile corpus they
# are built over is then searched in the page by tests/e2e/hostile.test.mjs.
test_corpora() {
  say "malformed corpora stop the build with path:line (tests/build-errors.sh)"
  rm -rf target/hostile-pkg
  tests/build-errors.sh target/hostile-pkg
}

# The sites the sharded end-to-end tests search and compare: the first 3,000 papers of
# corpus-large (more than a build embeds), built sharded and embedded, each beside the page.
E2E_SITES=target/e2e-sites
LARGE_CORPUS=../shared/corpus-large/papers.jsonl.gz
test_sites() {
  say "the sites of a 3,000-paper slice of corpus-large, sharded and embedded (tests/e2e/shards.test.mjs)"
  if [ ! -f "$LARGE_CORPUS" ]; then
    echo "build.sh: $LARGE_CORPUS is missing; the sharded builds are tested on a slice of it" >&2
    exit 1
  fi
  mkdir -p "$E2E_SITES"
  # head stops reading after 3,000 lines, which ends gzip with SIGPIPE: not a failure here.
  (set +o pipefail; gzip -dc "$LARGE_CORPUS" | head -n 3000) > "$E2E_SITES/corpus.jsonl"
  if [ "$(wc -l < "$E2E_SITES/corpus.jsonl")" -ne 3000 ]; then
    echo "build.sh: could not read 3,000 papers from $LARGE_CORPUS" >&2
    exit 1
  fi
  local mode
  for mode in on off; do
    (export PAPERS="$E2E_SITES/corpus.jsonl" SHARDS=$mode; build_site "$E2E_SITES/$mode" > "$E2E_SITES/build-$mode.log")
  done
}

# What the builder's end-to-end tests need: the npm packages packed as `npm pack` makes them (the
# main one and the model's, for --semantic), the
# native indexer (whose errors the builder's must equal), SciFact built sharded by build() and a
# .bib with bad entries built embedded (the default corpus's native build is www/pkg, the few
# papers' target/hostile-pkg).
BUILDER_DIR=target/builder
SCIFACT_CORPUS=../shared/scifact/corpus.jsonl
test_builder_package() {
  say "the npm package with its builder, packed; SciFact built sharded to compare it with (tests/e2e/builder.test.mjs)"
  if [ ! -f "$SCIFACT_CORPUS" ]; then
    echo "build.sh: $SCIFACT_CORPUS is missing; the builder's sharded site is compared on it" >&2
    exit 1
  fi
  rm -rf "$BUILDER_DIR"
  mkdir -p "$BUILDER_DIR"
  npm_package "$BUILDER_DIR/npm"
  npm pack "./$BUILDER_DIR/npm" --pack-destination "$BUILDER_DIR" --loglevel=error > "$BUILDER_DIR/pack.log"
  npm pack "./$BUILDER_DIR/npm-model" --pack-destination "$BUILDER_DIR" --loglevel=error >> "$BUILDER_DIR/pack.log"
  (
    export PAPERS="$SCIFACT_CORPUS" SHARDS=on OUT="$BUILDER_DIR/native-scifact"
    build > "$BUILDER_DIR/native-scifact.log"
  )
  # A .bib with bad entries among good ones, which the builder's site must answer as this one.
  (
    export PAPERS=tests/fixtures/collections/publications.bib OUT="$BUILDER_DIR/native-bib"
    build > "$BUILDER_DIR/native-bib.log" 2>&1
  )
}

# A publication list kept as BibTeX (tests/e2e/fixtures/publications.bib: venues, kinds of work,
# years, authors, DOIs, PDFs and arXiv ids) built beside the demo page's files, for the element's
# tests of records, filters and accessibility (tests/e2e/records, filters and a11y.test.mjs).
BIB_SITE=target/e2e-bib
test_bib_site() {
  say "a .bib collection's site (tests/e2e/fixtures/publications.bib), for the element's records, filters and accessibility tests"
  rm -rf "$BIB_SITE"
  (unset SHARDS SEMANTIC; export PAPERS=tests/e2e/fixtures/publications.bib; build_site "$BIB_SITE" > "$BIB_SITE.log" 2>&1)
}

# The default corpus built with search by meaning, embedded and sharded, each beside the demo
# page's files, for tests/e2e/semantic.test.mjs and semantic-shards.test.mjs.
SEMANTIC_SITE=target/e2e-semantic
SEMANTIC_SHARDED_SITE=target/e2e-semantic-shards
test_semantic_site() {
  say "the default corpus with search by meaning (SEMANTIC=on), embedded and sharded, for tests/e2e/semantic*.test.mjs"
  rm -rf "$SEMANTIC_SITE" "$SEMANTIC_SHARDED_SITE"
  (unset PAPERS SHARDS; export SEMANTIC=on; build_site "$SEMANTIC_SITE" > "$SEMANTIC_SITE.log")
  (unset PAPERS; export SEMANTIC=on SHARDS=on; build_site "$SEMANTIC_SHARDED_SITE" > "$SEMANTIC_SHARDED_SITE.log")
}

test_e2e() {
  say "end-to-end tests of the page in headless Chromium"
  local tarball
  tarball=$(ls "$root/$BUILDER_DIR"/paper-search-[0-9]*.tgz)
  HOSTILE_PKG=target/hostile-pkg SHARDED_SITE="$E2E_SITES/on" EMBEDDED_SITE="$E2E_SITES/off" \
    BUILDER_TARBALL="$tarball" MODEL_TARBALL="$(ls "$root/$BUILDER_DIR"/paper-search-model-*.tgz)" NATIVE_SCIFACT="$BUILDER_DIR/native-scifact" SEMANTIC_SITE="$SEMANTIC_SITE" \
    SEMANTIC_SHARDED_SITE="$SEMANTIC_SHARDED_SITE" \
    NATIVE_BIB="$BUILDER_DIR/native-bib" BIB_SITE="$BIB_SITE" \
    NATIVE_INDEXER="$root/target/release/paper-search-index" \
    node --test --test-concurrency=1 tests/e2e/
}

lint
test_native
(unset PAPERS; build)
test_wasm
test_corpora
test_sites
test_builder_package
test_semantic_site
test_bib_site
test_e2e
