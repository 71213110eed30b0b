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
# The departments the schemes name, each with a contact: a loopback webhook standing in for the
# department's group chat, which writes every push to $DATA/pushes.log.
INBOX_PORT=${INBOX_PORT:-18099}
python3 scripts/demo/webhook_inbox.py "$INBOX_PORT" "$DATA/pushes.log" &
INBOX_PID=$!
trap 'kill $INBOX_PID 2>/dev/null || true' EXIT
for d in 新闻中心:news 水质监测部:quality 客户服务部:service; do
  $Y --data "$DATA" departments add "${d%%:*}" --description "演示部门" >/dev/null
  $Y --data "$DATA" contacts add --department "${d%%:*}" --channel webhook --name "${d%%:*}值班群（演示）" \
    --target "http://127.0.0.1:$INBOX_PORT/${d##*:}" >/dev/null
done
echo "==> replaying the demo scenario (stream clock)"
$Y --data "$DATA" replay "$DATA/demo-posts.jsonl" --speed max
$Y --data "$DATA" stats
if $Y --data "$DATA" alerts --help >/dev/null 2>&1; then
  $Y --data "$DATA" alerts list
fi
echo "==> yuqing serve on http://${LISTEN:-127.0.0.1:8080} (the admin password is printed below on first start)"
echo "    the departments' pushes are written to $DATA/pushes.log"
$Y --data "$DATA" serve --listen "${LISTEN:-127.0.0.1:8080}"
