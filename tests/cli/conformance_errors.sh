# Malformed or unreadable vector files: FILE:LINE and the problem, exit status 2, no crash.
source "$(dirname "$0")/lib.sh"
zcat "$DATA/handwritten.jsonl.gz" | head -3 > "$TMP/good.jsonl"
expect_status 0 "three good scripts" -- "$NPTSIM" conformance "$TMP/good.jsonl"
expect_grep "$TMP/out" "^3 passed, 0 failed$" "closing line"

{ head -2 "$TMP/good.jsonl"; echo '{"id": "x", "arch": '; } > "$TMP/badjson.jsonl"
expect_status 2 "bad JSON" -- "$NPTSIM" conformance "$TMP/badjson.jsonl"
expect_grep "$TMP/err" "badjson.jsonl:3: not valid JSON" "file:line of bad JSON"

sed '2s/"op":"check_frames"/"op":"check_frame"/' "$TMP/good.jsonl" > "$TMP/badop.jsonl"
expect_status 2 "unknown op" -- "$NPTSIM" conformance "$TMP/badop.jsonl"
expect_grep "$TMP/err" "badop.jsonl:2: .*unknown op 'check_frame'" "file:line of unknown op"

sed '1s/"gpa":"0x10000",//' "$TMP/good.jsonl" > "$TMP/nofield.jsonl"
expect_status 2 "missing field" -- "$NPTSIM" conformance "$TMP/nofield.jsonl"
expect_grep "$TMP/err" "nofield.jsonl:1: .*missing field 'gpa'" "file:line of missing field"

gzip -c "$TMP/good.jsonl" | head -c 300 > "$TMP/truncated.jsonl.gz"
expect_status 2 "truncated gzip" -- "$NPTSIM" conformance "$TMP/truncated.jsonl.gz"
expect_grep "$TMP/err" "truncated.jsonl.gz" "names the truncated file"

expect_status 2 "missing file" -- "$NPTSIM" conformance "$TMP/nope.jsonl"
expect_grep "$TMP/err" "nope.jsonl: cannot open" "names the missing file"

sed '1s/"expect":null/"expect":"0x1"/' "$TMP/good.jsonl" > "$TMP/mismatch.jsonl"
expect_status 1 "a failing script" -- "$NPTSIM" conformance "$TMP/mismatch.jsonl"
expect_grep "$TMP/out" "^FAIL x86_64-l4-hw-001-create-basic .* op #3 translate: expected \"0x1\", got null" "failure line"
expect_grep "$TMP/out" "^2 passed, 1 failed$" "closing line with failures"
finish
