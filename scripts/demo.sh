#!/usr/bin/env bash
# Installs, builds, and runs yuqing on its embedded default with the bundled demo scenario:
# a water company's routine mentions and one crisis that grows, peaks and fades after an official
# response. Then serves the dashboard on http://127.0.0.1:8080 (Ctrl-C to stop).
#   DEMO_DATA=demo-data  where the demo's store lives (recreated each run)
#   LISTEN=127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
DATA=${DEMO_DATA:-demo-data}
rm -rf "$DATA"
mkdir -p "$DATA"
python3 scripts/gen_demo.py --recent "$DATA/demo-posts.jsonl"
Y=build/yuqing
# Monitoring schemes for the demo organisation (skipped if this build has no schemes yet).
if $Y --data "$DATA" topics --help >/dev/null 2>&1; then
  $Y --data "$DATA" topics import scripts/demo/schemes.yaml
fi
echo "==> replaying the demo scenario (stream clock)"
$Y --data "$DATA" replay "$DATA/demo-posts.jsonl" --speed max
$Y --data "$DATA" stats
if $Y --data "$DATA" alerts --help >/dev/null 2>&1; then
  $Y --data "$DATA" alerts list
fi
echo "==> yuqing serve on http://${LISTEN:-127.0.0.1:8080} (the admin password is printed below on first start)"
exec $Y --data "$DATA" serve --listen "${LISTEN:-127.0.0.1:8080}"
