# `./build.sh bench [builder [semantic] | semantic [large] | embed [large] | scale | collections | facets] [ARGS]`: builds what the benchmark measures,
# then runs it (bench/). build.sh sources it, after set-up, with the arguments after `bench`,
# for its build steps (build, build_site, npm_package, build_indexer, say): run
# `./build.sh bench`, not this file. Progress goes to stderr, the report to stdout and to
# bench/*results.md. ARGS go to the benchmark's script (bench/run.mjs: --quick, --corpus NAME,
# --memory-queries N, --memory-seconds S).
# shellcheck shell=bash
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "scripts/bench.sh is part of ./build.sh: run ./build.sh bench" >&2
  exit 2
fi

# Git's copy of commit $1 in the folder $2, emptied first.
commit_copy() {
  rm -rf "$2"
  mkdir -p "$2"
  git archive "$1" | tar -x -C "$2"
}

# The sentence encoder of the commit before the fast one (the parent of the commit that added
# src/semantic/kernels.rs), built once into target/bench-embed/before-<commit>/ from git's copy
# of that commit: what `bench embed` compares the build's encoder with. Prints the binary.
embed_before_encoder() {
  local added rev dir
  added=$(git log --diff-filter=A --format=%H -- src/semantic/kernels.rs | tail -n 1)
  rev=$(git rev-parse --short "$added^")
  dir="$(target_dir)/bench-embed/before-$rev"
  if [ ! -x "$dir/paper-search-semantic" ]; then
    say "building the encoder of $rev (before the fast encoder) for the comparison" >&2
    commit_copy "$rev" "$dir/src"
    (cd "$dir/src" && env -u PAPERS PAPER_SEARCH_INDEX=none CARGO_TARGET_DIR="$dir/target" \
      nice cargo build --quiet --release --locked --features semantic --bin paper-search-semantic) >&2
    cp "$dir/target/release/paper-search-semantic" "$dir/paper-search-semantic"
    rm -rf "$dir/src" "$dir/target"
  fi
  echo "$dir/paper-search-semantic $rev"
}

# A Python of target/bench-embed/venv (made on first use) with numpy from PyPI (its OpenBLAS),
# and sentence-transformers with torch if they install. Prints the interpreter.
embed_python() {
  local venv
  venv="$(target_dir)/bench-embed/venv"
  if [ ! -x "$venv/bin/python" ] && ! python3 -m venv "$venv" >&2; then
    say "installing python3-venv from Debian (for the benchmark's references)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends python3-venv >&2
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
    say "installing numpy from PyPI into $venv" >&2
    "$venv/bin/pip" install --quiet numpy >&2
  fi
  if ! "$venv/bin/python" -c 'import sentence_transformers' 2>/dev/null; then
    say "installing sentence-transformers (and torch) from PyPI into $venv" >&2
    "$venv/bin/pip" install --quiet sentence-transformers >&2 ||
      say "sentence-transformers did not install; the benchmark goes on without it" >&2
  fi
  echo "$venv/bin/python"
}

# The default corpus's semantic site as commit $1 builds it, once, into
# target/bench-semantic-before/<commit>/site (from git's copy of that commit, with its own target
# folder, the model unpacked already copied in): what `BEFORE=<commit> ./build.sh bench semantic`
# compares this build with. Prints the site's folder.
semantic_before_site() {
  local rev dir
  rev=$(git rev-parse --short "$1")
  dir="$(target_dir)/bench-semantic-before/$rev"
  if [ ! -f "$dir/site/pkg/paper_search_bg.wasm" ]; then
    say "building the semantic site of $rev for the comparison" >&2
    rm -rf "$dir"
    commit_copy "$rev" "$dir/src"
    mkdir -p "$dir/src/target"
    cp -r target/model "$dir/src/target/"
    (cd "$dir/src" && env -u PAPERS -u SHARDS SEMANTIC=on OUT="$dir/site/pkg" CARGO_TARGET_DIR="$dir/src/target" \
      nice ./build.sh build && node scripts/site.mjs copy "$dir/site" --semantic) >&2
    rm -rf "$dir/src"
  fi
  echo "$dir/site"
}

kind=${1:-}
case "$kind" in
  embed)
    # The build's encoder beside the one before it, numpy's BLAS and sentence-transformers.
    semantic_tool >&2
    if [ "${2:-}" = large ]; then
      # corpus-large embedded whole: time and peak memory (bench/embed-large-results.md).
      exec node bench/embed.mjs --large "${PAPERS:-../shared/corpus-large/papers.jsonl.gz}" --after "$semantic_bin" \
        --model "$MODEL_FILE"
    fi
    read -r before_bin before_rev < <(embed_before_encoder)
    python=$(embed_python)
    shift
    say "benchmark of embedding SciFact: progress on stderr, the report on stdout and in bench/embed-results.md" >&2
    exec node bench/embed.mjs --before "$before_bin" --before-name "commit $before_rev" --after "$semantic_bin" \
      --model "$MODEL_FILE" --python "$python" "$@"
    ;;
  facets)
    # Facet counts checked against brute force on corpus-large natively (examples/facets.rs),
    # then timed in Node and Chromium on its first 5,000 papers built embedded, and their
    # requests counted on the whole of it built sharded.
    dir=target/bench-facets
    large=../shared/corpus-large/papers.jsonl.gz
    mkdir -p "$dir"
    (set +o pipefail; gzip -dc "$large" | head -n 5000) > "$dir/slice.jsonl"
    say "facet counts against brute force on corpus-large (examples/facets.rs)" >&2
    cargo run --quiet --release --example facets -- "$large" bench/scale/queries-large.jsonl | tee "$dir/native.md"
    (export PAPERS="$root/$dir/slice.jsonl" SHARDS=off; build_site "$dir/embedded" >&2)
    (export PAPERS="$root/$large" SHARDS=on; build_site "$dir/sharded" >&2)
    shift
    say "benchmark of facet counts: the report on stdout and in bench/facets-results.md" >&2
    exec node bench/facets.mjs "$dir" "$@"
    ;;
  collections)
    # Reading arXiv's snapshot beside JSON Lines: the native indexer alone, no npm packages.
    build_indexer
    shift
    say "benchmark of reading arXiv's metadata snapshot: the report on stdout and in bench/collections-results.md" >&2
    exec node bench/collections.mjs "$@"
    ;;
  builder)
    # The package and the native indexer, built as ./build.sh package and ./build.sh do; with
    # meaning, the native encoder and the evaluation that compares the two builds' vectors.
    build >&2
    npm_package dist/npm >&2
    build_indexer
    if [ "${2:-}" = semantic ]; then
      semantic_tool >&2
      env -u PAPERS PAPER_SEARCH_INDEX=none cargo build --quiet --release --features semantic --example eval >&2
    fi
    ;;
  semantic)
    if [ "${2:-}" = large ]; then
      # corpus-large with search by meaning, sharded; its log holds the build's time and memory
      # (the embedding cache makes a second build fast: the first embeds 52,674 papers).
      large="${PAPERS:-$root/../shared/corpus-large/papers.jsonl.gz}"
      (export PAPERS="$large" SHARDS=on SEMANTIC=on
        build_site target/bench-semantic-large 2>&1 | tee target/bench-semantic-large.log >&2)
      # The same corpus without meaning, for words only beside it.
      (export PAPERS="$large" SHARDS=on; unset SEMANTIC; build_site target/bench-semantic-large-plain >&2)
    else
      # The default corpus with search by meaning, beside the demo page's files.
      (unset PAPERS SHARDS; export SEMANTIC=on; build_site target/bench-semantic >&2)
    fi
    ;;
esac

# The peer engines' npm packages are installed here on first use, not by set-up, so that the
# tests never pay for them.
if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  say "installing the benchmark's npm packages (bench/package-lock.json)" >&2
  npm ci --prefix bench --no-audit --no-fund --loglevel=error >&2
fi

# exec, so that an edit of these scripts during the run cannot break its end.
case "$kind" in
  builder)
    shift
    if [ "${1:-}" = semantic ]; then
      shift
      say "benchmark of the site builder with meaning on SciFact: the report on stdout and in bench/builder-semantic-results.md" >&2
      exec node bench/builder-semantic.mjs "$@"
    fi
    say "benchmark of the site builder: progress on stderr, the report on stdout and in bench/builder-results.md" >&2
    exec node bench/builder.mjs "$@"
    ;;
  semantic)
    shift
    if [ "${1:-}" = large ]; then
      shift
      say "benchmark of search by meaning on corpus-large, sharded: the report on stdout and in bench/semantic-large-results.md" >&2
      exec node bench/semantic-large.mjs target/bench-semantic-large target/bench-semantic-large.log \
        --plain target/bench-semantic-large-plain "$@"
    fi
    before=()
    if [ -n "${BEFORE:-}" ]; then
      before=(--before "$(semantic_before_site "$BEFORE")" --before-name "commit $(git rev-parse --short "$BEFORE")")
    fi
    say "benchmark of search by meaning: the report on stdout and in bench/semantic-results.md" >&2
    exec node bench/semantic.mjs target/bench-semantic "${before[@]}" "$@"
    ;;
  scale)
    shift
    say "benchmark at scale: progress on stderr, the report on stdout and in bench/scale-results.md" >&2
    exec node bench/scale.mjs "$@"
    ;;
  *)
    say "benchmark: progress on stderr, the report on stdout and in bench/results.md" >&2
    exec node bench/run.mjs "$@"
    ;;
esac
