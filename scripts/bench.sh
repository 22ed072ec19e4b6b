# `./build.sh bench [builder | semantic | scale | collections | facets] [ARGS]`: builds what the benchmark measures,
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

kind=${1:-}
case "$kind" in
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
    # The package and the native indexer, built as ./build.sh package and ./build.sh do.
    build >&2
    npm_package dist/npm >&2
    build_indexer
    ;;
  semantic)
    # The default corpus with search by meaning, beside the demo page's files.
    (unset PAPERS SHARDS; export SEMANTIC=on; build_site target/bench-semantic >&2)
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
    say "benchmark of the site builder: progress on stderr, the report on stdout and in bench/builder-results.md" >&2
    exec node bench/builder.mjs "$@"
    ;;
  semantic)
    shift
    say "benchmark of search by meaning: the report on stdout and in bench/semantic-results.md" >&2
    exec node bench/semantic.mjs target/bench-semantic "$@"
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
