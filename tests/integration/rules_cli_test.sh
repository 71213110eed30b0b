#!/usr/bin/env bash
# Black-box test of `yuqing match` and `yuqing topics` on a fresh data directory.
#   tests/integration/rules_cli_test.sh path/to/yuqing
set -uo pipefail
Y=${1:?usage: rules_cli_test.sh path/to/yuqing}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
fail=0
expect() {  # expect RC DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$D/out" 2>"$D/err"; local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $what: exit $rc, want $want: $(cat "$D/out" "$D/err" | tail -3)"; fail=1; fi
}
expect 0 "match" -- "$Y" --data "$D" match --query "停水 AND 投诉" --text "小区停水三天，居民集体投诉"
expect 1 "no match" -- "$Y" --data "$D" match --query "water" --text "waterproof"
expect 2 "parse error" -- "$Y" --data "$D" match --query "a (b OR c d e" --text x
grep -q "第 14 列" "$D/err" || { echo "FAIL parse error names column 14: $(cat "$D/err")"; fail=1; }
expect 0 "match --json" -- "$Y" --data "$D" match --query "鐵路" --text "铁路12306" --json
grep -q '"start":0' "$D/out" || { echo "FAIL offsets in --json: $(cat "$D/out")"; fail=1; }
expect 0 "topics add" -- "$Y" --data "$D" topics add --name 东湖 --query "东湖 (停水 OR 水质)" --exclude 广告 --json
expect 2 "topics add bad query" -- "$Y" --data "$D" topics add --name bad --query "(停水"
expect 2 "topics add duplicate name" -- "$Y" --data "$D" topics add --name 东湖 --query "停水"
expect 0 "topics edit" -- "$Y" --data "$D" topics edit 东湖 --priority 3 --json
grep -q '"priority":3' "$D/out" || { echo "FAIL edit priority"; fail=1; }
expect 0 "topics export" -- "$Y" --data "$D" topics export "$D/s.yaml"
expect 0 "topics rm" -- "$Y" --data "$D" topics rm 1
expect 0 "topics import" -- "$Y" --data "$D" topics import "$D/s.yaml" --json
grep -q '"added":1' "$D/out" || { echo "FAIL import: $(cat "$D/out")"; fail=1; }
expect 0 "topics list" -- "$Y" --data "$D" topics list --json
grep -q '"count":1' "$D/out" || { echo "FAIL list count: $(cat "$D/out")"; fail=1; }
expect 0 "topics test" -- "$Y" --data "$D" topics test 东湖 --last all --json
grep -q '"matched":0' "$D/out" || { echo "FAIL test on empty store: $(cat "$D/out")"; fail=1; }
[ $fail = 0 ] && echo "rules CLI: all passed"
exit $fail
