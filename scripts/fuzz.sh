#!/usr/bin/env bash
# Runs one coverage-guided fuzz target (libFuzzer through cargo-fuzz) on its corpus.
#   scripts/fuzz.sh TARGET SECONDS      e.g. scripts/fuzz.sh email_mime 600
#   scripts/fuzz.sh list                the targets
# FUZZ_RUNS=N stops after N executions instead; FUZZ_SANITIZER=none builds without
# AddressSanitizer (about twice the executions per second, for long runs); FUZZ_MAX_LEN caps an
# input's size (default 65536 bytes). New inputs that reach new code are added to
# fuzz/corpus/TARGET (the test suite replays them: tests/fuzz_corpora.rs); a crash is written to
# fuzz/artifacts/TARGET and reproduced with `cargo fuzz run TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS (scripts/fuzz.sh list names the targets)}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# libFuzzer's instrumentation needs nightly flags; this lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
if [ "$target" = list ]; then
  exec cargo fuzz list
fi
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
mkdir -p "corpus/$target" "artifacts/$target"
limits=(-max_total_time="$seconds")
if [ -n "${FUZZ_RUNS:-}" ]; then limits=(-runs="$FUZZ_RUNS"); fi
exec cargo fuzz run -O --sanitizer "${FUZZ_SANITIZER:-address}" "$target" "corpus/$target" -- "${limits[@]}" -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=10 \
  -rss_limit_mb=4096 -print_final_stats=1
