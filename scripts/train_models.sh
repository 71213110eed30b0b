#!/usr/bin/env bash
# Rebuilds the shipped analysis models (models/sentiment.ftz, sentiment_reviews.ftz, rumor.ftz,
# news.ftz, types.ftz, and the cascade forecast models/cascade.json, which reads rumor.ftz)
# from the public data beside the project (../shared/data, or $YUQING_TRAIN_DATA), with fixed
# seeds and 2 threads: about 6 minutes on 2 cores. Prints the dev / hold-out accuracies.
# Usage: scripts/train_models.sh [build-dir]   (the yuqing binary is built there if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
if [[ ! -x "$build/yuqing" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build" -j2 --target yuqing
fi
data="${YUQING_TRAIN_DATA:-$root/../shared/data}"
if [[ ! -d "$data/sentiment" ]]; then
  echo "training data not found in $data (set YUQING_TRAIN_DATA)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# --no-corrections: the shipped models come from public data only; a deployment retrains with
# its analysts' corrections by running `yuqing model train` without the flag.
"$build/yuqing" --data "$tmp" model train --corpus "$data" --out "$root/models" --no-corrections --json
