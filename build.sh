#!/usr/bin/env bash
# paper-search: build, serve and test.
#
#   ./build.sh            build www/ ready to serve (release wasm, wasm-opt, sizes printed)
#   ./build.sh serve      set up what is missing, build, and serve www/ on 127.0.0.1
#   ./build.sh test       set up what is missing, then run every test (native, wasm in
#                         Chromium and Firefox, wasm-pack, end-to-end page tests): the steps
#                         of scripts/test.sh, in its order
#   ./build.sh setup      only install what is missing
#   ./build.sh bench      benchmark beside MiniSearch, FlexSearch, Lunr and Orama on both
#                         corpora (bench/, several minutes); the report also goes to bench/results.md;
#                         `bench scale`: at scale, beside Pagefind (bench/scale-results.md);
#                         `bench builder`: the npm builder beside the native indexer
#                         (bench/builder-results.md); `bench semantic`: search by meaning in
#                         Chromium (bench/semantic-results.md; BEFORE=<commit>: beside that
#                         commit's build, taking turns), `bench semantic large`: on
#                         corpus-large, sharded (bench/semantic-large-results.md); `bench collections`: reading
#                         arXiv's metadata snapshot beside JSON Lines (bench/collections-results.md);
#                         `bench facets`: facet counts against brute force on corpus-large, and
#                         their cost in Node and Chromium (bench/facets-results.md);
#                         `bench embed`: embedding SciFact, beside the encoder before, BLAS and
#                         sentence-transformers (bench/embed-results.md); `bench embed large`:
#                         corpus-large embedded (bench/embed-large-results.md);
#                         scripts/bench.sh
#   ./build.sh single     build, then write dist/paper-search.html (one file that searches
#                         when opened from disk: script, styles and wasm inlined) and
#                         dist/paper-search-standalone.js (the element as one classic script)
#   ./build.sh package    build, then write dist/npm/: the npm package (the element, the wasm
#                         module, TypeScript types, and the site builder `npx paper-search
#                         build`, which indexes a corpus with Node alone), and dist/npm-model/:
#                         the model's package, for `npx paper-search build --semantic`
#   ./build.sh eval       relevance tables: the open judged set and BEIR SciFact, per query
#                         kind and per feature, each query finished and as typed (args: default |
#                         scifact [test|train] | tune | timing: native time per query and
#                         feature, the benchmark's mix | semantic [tune]: search by meaning
#                         on and off, or its fusion weight on SciFact train)
#   ./build.sh fuzz       the long fuzz run of the query path (PROPTEST_CASES, default 20,000)
#   ./build.sh soak       100,000 random queries through the wasm in Chromium (SOAK_QUERIES)
#
# PAPERS=path/to/corpus ./build.sh   builds for another corpus (default: data/papers.txt): embedded
#                                    in the module up to 2,000 papers, sharded above (the module
#                                    and pkg/index-<build>/, the parts it fetches on demand). A .bib,
#                                    CSL-JSON, RIS, MEDLINE or arXiv snapshot file is read as it is:
#                                    an entry that cannot be read is left out with a warning.
# STRICT=1 ./build.sh                stops on such an entry instead, keeping the last good build.
# SHARDS=on|off ./build.sh           forces a sharded or an embedded build.
# SEMANTIC=on ./build.sh             adds search by meaning, embedded or sharded: the papers'
#                                    vectors in the index, and the sentence model beside the
#                                    module (pkg/paper-search-model-<id>.bin.gz, 21 MB), which the
#                                    page downloads only when a reader switches it on.
# EMBED_CACHE=dir ./build.sh         keeps the papers' vectors there (default: target/embeddings).
# OUT=dir ./build.sh                 writes the built module to dir (default: www/pkg).
# PORT=8000 ./build.sh serve         chooses the port.
#
# The page's scripts are written in www/src/ and served minified from www/ (scripts/site.mjs,
# which lists a site's files): edit www/src/, then build.
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
  exit 2
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must equal the crate version from Cargo.lock, or the generated glue and
# the test runner disagree with the crate.
check_wasm_bindgen() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
  if [ "$want" != "$have" ]; then
    echo "build.sh: wasm-bindgen CLI is '${have:-missing}', the crate pins $want; run ./build.sh setup" >&2
    exit 1
  fi
}

# An absolute PAPERS path, so that cargo (which runs build.rs from the crate root) finds it.
resolve_papers() {
  if [ -n "${PAPERS:-}" ]; then
    case "$PAPERS" in
      /*) ;;
      *) PAPERS="$(cd "$(dirname "$PAPERS")" && pwd)/$(basename "$PAPERS")" ;;
    esac
    export PAPERS
  fi
}

# Cargo's target folder ($CARGO_TARGET_DIR or target/), as an absolute path.
target_dir() {
  case "${CARGO_TARGET_DIR:-target}" in
    /*) echo "$CARGO_TARGET_DIR" ;;
    *) echo "$root/${CARGO_TARGET_DIR:-target}" ;;
  esac
}

# The native indexer, paper-search-index, in target/release. Its library embeds no index
# (PAPER_SEARCH_INDEX=none): otherwise build.rs would index $PAPERS once more, single-threaded,
# to embed it in a program that never reads it. Arguments go to cargo: a semantic build passes
# the `semantic` feature, as paper-search-semantic is built with it, so that the two share one
# build of the library (its file has no hash in its name: a build with other features replaces
# it, and the next build with these compiles it again).
build_indexer() {
  env -u PAPERS PAPER_SEARCH_INDEX=none cargo build --quiet --release --bin paper-search-index "$@"
}

# Indexes $PAPERS (or the default corpus, when SHARDS is set) with paper-search-index into
# $index_dir: index.bin, the bundle build() appends to the engine, and for a sharded build the
# folder index-<build>/ of parts. Without either, build.rs indexes the default corpus itself.
# $1 is the --shards mode: auto, on, off or single (refuses a corpus too large for one file).
index_dir=""
index_corpus() {
  local mode=$1
  if [ -z "${PAPERS:-}" ] && ! semantic_on && { [ "$mode" = auto ] || [ "$mode" = single ]; }; then
    unset PAPER_SEARCH_INDEX
    return
  fi
  say "indexing ${PAPERS:-data/papers.txt}"
  local features=()
  if semantic_on; then features=(--features semantic); fi
  build_indexer "${features[@]}"
  local target
  target="$(target_dir)"
  index_dir="$target/paper-search-index"
  rm -rf "$index_dir"
  local strict=() vectors=()
  if strict_on; then strict=(--strict); fi
  if semantic_on; then
    semantic_tool
    mkdir -p "$index_dir"
    embed_corpus
    vectors=(--vectors "$index_dir/vectors.bin")
  fi
  "$target/release/paper-search-index" "${PAPERS:-$root/data/papers.txt}" "$index_dir" --shards "$mode" \
    "${strict[@]}" "${vectors[@]}"
}

# STRICT=1 (any value but empty or 0, as build.rs reads it): a collection's entry that cannot be
# read stops the build.
strict_on() { [ -n "${STRICT:-}" ] && [ "${STRICT}" != 0 ]; }

semantic_on() { [ "${SEMANTIC:-off}" = on ]; }

# The sentence model for search by meaning, as the build and the page read it: made by
# paper-search-semantic (int8 weights) from the release scripts/model.sh fetches, again when
# the tool changed.
MODEL_FILE=target/model/paper-search-model.bin
semantic_tool() {
  scripts/model.sh
  say "building the sentence encoder (paper-search-semantic)"
  env -u PAPERS PAPER_SEARCH_INDEX=none cargo build --quiet --release --features semantic --bin paper-search-semantic
  semantic_bin="$(target_dir)/release/paper-search-semantic"
  if [ ! -f "$MODEL_FILE" ] || [ "$semantic_bin" -nt "$MODEL_FILE" ]; then
    "$semantic_bin" model target/model/release "$MODEL_FILE"
  fi
  if [ ! -f "$MODEL_FILE.gz" ] || [ "$MODEL_FILE" -nt "$MODEL_FILE.gz" ]; then
    gzip -9 -c "$MODEL_FILE" > "$MODEL_FILE.gz.tmp"
    mv "$MODEL_FILE.gz.tmp" "$MODEL_FILE.gz"
  fi
}

# The papers' vectors of $PAPERS (or the default corpus) into $index_dir/vectors.bin. Each
# paper's vector is kept under the model and the exact text it was made from, in the embedding
# cache (target/embeddings/ or $EMBED_CACHE, paper-search-semantic's), so that a rebuild embeds only the new or
# changed papers, and a build stopped half way goes on from where it stopped.
embed_corpus() {
  local corpus="${PAPERS:-$root/data/papers.txt}"
  say "embedding the papers of $corpus"
  "$semantic_bin" embed "$MODEL_FILE" "$corpus" "$index_dir/vectors.bin" --cache "${EMBED_CACHE:-$(target_dir)/embeddings}"
}

# wasm-opt at level $1 on the module $2, in place, with the features rustc's wasm32 output uses.
optimize() {
  wasm-opt "$1" --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-simd "$2" -o "$2"
}

# Builds the release wasm and its JavaScript glue into $OUT (default www/pkg), with the parts of
# a sharded index beside them. The default corpus is compiled into the module (build.rs); any
# other corpus is indexed by paper-search-index and its index appended to the prebuilt engine
# (engine_module), as the npm package's builder does, so that a new corpus compiles nothing.
# The new files are written to a temporary folder and moved into place only when every step
# succeeded, so a failed build leaves the previous good one untouched.
build() {
  local out="${OUT:-www/pkg}"
  check_wasm_bindgen
  resolve_papers
  index_corpus "${1:-${SHARDS:-auto}}"
  local parts=()
  if [ -n "$index_dir" ]; then
    parts=("$index_dir"/index-*)
    [ -d "${parts[0]}" ] || parts=()
  fi
  local tmp
  tmp="$(dirname "$out")/.$(basename "$out").tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if [ -n "$index_dir" ]; then
    local name=engine
    [ ${#parts[@]} -gt 0 ] && name=engine-shards
    if semantic_on; then
      # One engine for both layouts: the shard loader is a few KB beside the encoder.
      name=engine-semantic
      # The model under the name the page asks for: its id, read from the vectors (which record
      # the model that made them), so that a cached copy is never stale.
      cp "$MODEL_FILE.gz" "$tmp/$("$semantic_bin" model-file "$index_dir/vectors.bin")"
      cp data/MODEL-NOTICE.md data/MODEL-LICENSE LICENSE "$tmp/"
    fi
    engine_module "$name"
    cp "$(engines_dir)/$name/pkg/"paper_search* "$tmp/"
    say "appending the index of ${PAPERS:-data/papers.txt} to the engine ($name)"
    node scripts/append-index.mjs "$(engines_dir)/$name/pkg/paper_search_bg.wasm" "$index_dir/index.bin" \
      "$tmp/paper_search_bg.wasm"
    [ ${#parts[@]} -gt 0 ] && cp -r "${parts[@]}" "$tmp/"
  else
    say "building the wasm module"
    cargo build --release --lib --target wasm32-unknown-unknown
    wasm-bindgen --target web --out-dir "$tmp" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/paper_search.wasm"
    optimize -Oz "$tmp/paper_search_bg.wasm"
  fi
  say "minifying the page's scripts (www/src/ into www/)"
  node scripts/site.mjs minify
  node scripts/stamp.mjs "$tmp" www
  rm -rf "$out.old"
  if [ -d "$out" ]; then mv "$out" "$out.old"; fi
  mv "$tmp" "$out"
  rm -rf "$out.old"
  node scripts/sizes.mjs "$out/paper_search_bg.wasm" "$out/paper_search.js" www/paper-search.js \
    www/paper-search.css www/index.html www/app.js www/style.css
  # A collection's count of entries read and skipped (the skipped ones were listed as warnings).
  if [ -n "$index_dir" ] && [ -f "$index_dir/summary.txt" ]; then
    say "${PAPERS:-data/papers.txt}: $(cat "$index_dir/summary.txt")"
  fi
}

# Where the engines without an index are compiled and kept: engines_dir/NAME/{target,pkg}.
engines_dir() {
  echo "$(target_dir)/engines"
}

# The engine without an index (PAPER_SEARCH_INDEX=none), embedded ($1 = engine) or sharded
# (engine-shards), bound and optimized into engines_dir/$1/pkg: what the npm package ships and
# what a corpus's index is appended to. Each has its own target folder: the two differ only by a
# feature, and cargo names a cdylib's output without a hash, so in one folder each would
# overwrite the other's file while cargo took it as up to date. Bound and optimized again only
# when cargo's output changed (its hash is kept beside the result).
engine_module() {
  local name=$1 features=() rustflags="--cfg=web_sys_unstable_apis"
  case $name in
    engine-shards) features=(--features shards) ;;
    # The encoder's arithmetic in 128-bit SIMD lanes (every browser since 2023, Node 16): the npm
    # builder embeds 4.1 papers a second a thread with it, 2.0-3.0 without; a query, 9 ms
    # against 11 at p50 (README, "Search by meaning").
    engine-semantic) features=(--features shards,semantic) rustflags+=" -C target-feature=+simd128" ;;
  esac
  local dir
  dir="$(engines_dir)/$name"
  say "building the engine without an index ($name)"
  PAPER_SEARCH_INDEX=none CARGO_TARGET_DIR="$dir/target" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags" \
    cargo build --release --lib --target wasm32-unknown-unknown "${features[@]}"
  local wasm="$dir/target/wasm32-unknown-unknown/release/paper_search.wasm" from
  from="$(sha256sum "$wasm" | cut -d' ' -f1) $(wasm-bindgen --version)"
  if [ "$(cat "$dir/pkg/.from" 2>/dev/null)" != "$from" ]; then
    rm -rf "$dir/pkg" "$dir/pkg.tmp"
    wasm-bindgen --target web --out-dir "$dir/pkg.tmp" "$wasm"
    optimize -Oz "$dir/pkg.tmp/paper_search_bg.wasm"
    echo "$from" > "$dir/pkg.tmp/.from"
    mv "$dir/pkg.tmp" "$dir/pkg"
  fi
}

# The modules the npm packages' builder ships, into $NPM_ENGINES: the engine without an index,
# embedded (engine/), sharded (engine-shards/) and with meaning (engine-semantic/, for the model's
# package), to which the builder appends a corpus's index, and the indexer for Node (indexer/),
# the crate's indexing code that makes that index.
NPM_ENGINES=target/npm
package_engines() {
  check_wasm_bindgen
  local wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/paper_search.wasm"
  rm -rf "$NPM_ENGINES"
  local name
  for name in engine engine-shards engine-semantic; do
    engine_module "$name"
    mkdir -p "$NPM_ENGINES/$name"
    cp "$(engines_dir)/$name/pkg/paper_search.js" "$(engines_dir)/$name/pkg/paper_search_bg.wasm" "$NPM_ENGINES/$name/"
  done
  say "building the npm package's indexer for Node"
  cargo build --release --lib --target wasm32-unknown-unknown --no-default-features --features indexer
  wasm-bindgen --target nodejs --out-dir "$NPM_ENGINES/indexer" "$wasm"
  # Indexing is the builder's work: optimized for speed, not size.
  optimize -O3 "$NPM_ENGINES/indexer/paper_search_bg.wasm"
}

# The npm package into $1: the element and the module just built (${OUT:-www/pkg}), and the
# site builder with its engines; and the model's package into $1-model (paper-search-model: the
# model under the name a build serves it by, the semantic engine, the element's code for it).
npm_package() {
  package_engines
  semantic_tool
  local model
  model="$NPM_ENGINES/$("$semantic_bin" model-file "$MODEL_FILE")"
  cp "$MODEL_FILE.gz" "$model"
  node scripts/package.mjs "${OUT:-www/pkg}" "$1" "$NPM_ENGINES" "$model"
}

# A whole site in $1, as the caller's PAPERS, SHARDS and SEMANTIC say: the module built into
# $1/pkg, the page's files beside it (a semantic build's with the element's code for it).
build_site() {
  (export OUT="$1/pkg"; build)
  local semantic=()
  if semantic_on; then semantic=(--semantic); fi
  node scripts/site.mjs copy "$1" "${semantic[@]}"
}

serve() {
  node scripts/serve.mjs www "${PORT:-8000}"
}

cmd=${1:-build}
case "$cmd" in
  build)
    scripts/setup.sh --build
    build
    ;;
  serve)
    scripts/setup.sh
    build
    serve
    ;;
  setup)
    scripts/setup.sh
    ;;
  test)
    scripts/setup.sh
    # shellcheck source=scripts/test.sh
    . scripts/test.sh
    ;;
  eval)
    scripts/setup.sh --build
    if [ "${2:-}" = semantic ]; then
      scripts/model.sh
      semantic_tool
      PAPER_SEARCH_MODEL="$MODEL_FILE" cargo run --release --features semantic --example eval -- "${@:2}"
    else
      cargo run --release --example eval -- "${@:2}"
    fi
    ;;
  fuzz)
    say "fuzzing the query path: ${PROPTEST_CASES:=20000} cases of each strategy"
    PROPTEST_CASES=$PROPTEST_CASES cargo test --release --test fuzz
    ;;
  soak)
    scripts/setup.sh
    build
    SOAK_QUERIES=${SOAK_QUERIES:-100000} node --test tests/e2e/soak.test.mjs
    ;;
  single)
    if semantic_on; then
      echo "build.sh: the one-file page cannot hold search by meaning (its model is a 21 MB file beside the page); build it without SEMANTIC=on" >&2
      exit 1
    fi
    scripts/setup.sh --build
    # One file holds every paper: only an embedded build (SHARDS=off forces one for any corpus).
    if [ "${SHARDS:-}" = off ]; then build off; else build single; fi
    node scripts/single.mjs "${OUT:-www/pkg}" dist
    node scripts/sizes.mjs dist/paper-search.html dist/paper-search-standalone.js
    ;;
  package)
    scripts/setup.sh --build
    build
    npm_package dist/npm
    ;;
  bench)
    scripts/setup.sh >&2
    shift
    # shellcheck source=scripts/bench.sh
    . scripts/bench.sh "$@"
    ;;
  -h | --help | help) usage ;;
  *)
    echo "build.sh: unknown command '$cmd'" >&2
    usage
    ;;
esac
