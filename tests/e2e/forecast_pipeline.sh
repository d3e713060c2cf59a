#!/usr/bin/env bash
# The forecasting pipeline through the CLI: import-csv → train DLinear (killed, resumed: bitwise
# equal to an uninterrupted run) → evaluate (every test window) → predict past the end of the
# data; bad CSVs and decks exit with code 2, a message naming the problem, and no output.
# usage: forecast_pipeline.sh <portaformer> <work dir>
set -euo pipefail
exe="$1"; work="$2"
deck="$(cd "$(dirname "$0")/../../data" && pwd)/forecast_dlinear.toml"
rm -rf "$work"; mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1200 hourly rows from 2020-01-01: a daily cycle, a weekly cycle and a target mixing both.
/usr/bin/python3 - <<'PY'
import datetime, math
t0 = datetime.datetime(2020, 1, 1)
with open("series.csv", "w") as f:
    f.write('date,"daily, kW",weekly,OT\n')
    for i in range(1200):
        d = t0 + datetime.timedelta(hours=i)
        a = math.sin(2 * math.pi * i / 24) + 0.1 * math.sin(i * 1.7)
        b = math.cos(2 * math.pi * i / 168)
        f.write(f"{d:%Y-%m-%d %H:%M:%S},{a:.6f},{b:.6f},{a + 0.5 * b:.6f}\n")
PY
"$exe" import-csv series.csv -o series.h5 --source "synthetic (forecast_pipeline.sh)"
[ -f series.h5 ] || fail "import-csv wrote nothing"

# expect_input_error NAME PATTERN COMMAND...: exit code 2, PATTERN in stderr, no output file.
expect_input_error() {
  local name="$1" pattern="$2"; shift 2
  set +e
  "$@" 2> "$name.err" > /dev/null
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$name: expected exit code 2, got $rc"
  grep -q -- "$pattern" "$name.err" || { cat "$name.err" >&2; fail "$name: message lacks '$pattern'"; }
  ! ls "$name".h5* > /dev/null 2>&1 || fail "$name: left $(ls "$name".h5*) behind"
  echo "$name: exit 2, '$(tail -n 1 "$name.err" | cut -c1-110)'"
}
head -n 5 series.csv > ragged.csv; echo "2020-01-01 05:00:00,1,2" >> ragged.csv
expect_input_error ragged "line 6: expected 4 fields" "$exe" import-csv ragged.csv -o ragged.h5
head -n 5 series.csv > text.csv; echo "2020-01-01 05:00:00,1,oops,3" >> text.csv
expect_input_error text "line 6, column 'weekly': expected a number, found 'oops'" \
  "$exe" import-csv text.csv -o text.h5
head -n 5 series.csv > gap.csv; echo "2020-01-01 05:00:00,1,NA,3" >> gap.csv
expect_input_error gap "found a missing value" "$exe" import-csv gap.csv -o gap.h5
"$exe" import-csv gap.csv -o gap_filled.h5 --missing ffill || fail "--missing ffill refused a gap"
: > empty.csv
expect_input_error empty "found an empty file" "$exe" import-csv empty.csv -o empty.h5

# Training: 840 train rows → 781 windows of 48 + 12 rows, 24 batches of 32 per epoch, 3 epochs.
args=(--deck "$deck" --set data.path=series.h5
      --set model.seq_len=48 --set model.pred_len=12 --set train.train_epochs=3
      --set train.patience=10 --set optim.learning_rate=0.01 --log-level warn)
"$exe" train -o straight "${args[@]}"
set +e
"$exe" train -o killed "${args[@]}" --set train.kill_at_step=30
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "expected death by SIGKILL (137), got $rc"
[ -f killed/checkpoint_24.h5 ] && [ ! -f killed/checkpoint_72.h5 ] || fail "checkpoints after kill"
"$exe" train -o killed "${args[@]}" --resume
for group in /params /optimizer; do
  h5diff straight/checkpoint_72.h5 killed/checkpoint_72.h5 "$group" ||
    fail "$group differs after resume"
done
h5diff straight/checkpoint_best.h5 killed/checkpoint_best.h5 /params || fail "best weights differ"
echo "resume: killed at step 30, resumed from 24: final and best checkpoints match bitwise"

expect_input_error short "expected training rows for at least one window" \
  "$exe" train -o short "${args[@]}" --set model.seq_len=900

# Evaluate: 1200·0.2 = 240 test rows → 240 − 12 + 1 = 229 windows, none dropped.
"$exe" evaluate -c straight -o eval --log-level warn
/usr/bin/python3 - <<'PY'
import json, math
m = json.load(open("eval/metrics.json"))
assert m["windows"] == 229, m["windows"]
assert math.isfinite(m["mse"]) and 0 < m["mse"] < 0.5, m["mse"]
assert set(m["channels"]) == {"daily, kW", "weekly", "OT"}, m["channels"]
print(f"evaluate: {m['windows']} test windows, MSE {m['mse']:.4f}, MAE {m['mae']:.4f}")
PY
grep -q '^all,' eval/metrics.csv || fail "metrics.csv lacks the 'all' row"

# Predict past the end: the last row is 2020-02-19 23:00 (row 1199), the forecast starts an
# hour later and has pred_len rows.
"$exe" predict -c straight -o predict --log-level warn
rows=$(grep -v '^#' predict/forecast.csv | tail -n +2 | wc -l)
[ "$rows" -eq 12 ] || fail "forecast.csv has $rows rows, expected 12"
first=$(grep -v '^#' predict/forecast.csv | sed -n 2p | cut -d, -f1)
[ "$first" = "2020-02-20 00:00:00" ] || fail "forecast starts at '$first'"
h5ls predict/predictions.h5 | grep -q '^data ' || fail "predictions.h5 has no /data"
echo "predict: 12 rows from $first"
/usr/bin/python3 "$(dirname "$deck")/../postprocess/plot_forecast.py" predict/predictions.h5 \
  -o forecast.png --context 48
[ -s forecast.png ] || fail "plot_forecast.py wrote no image"
echo "forecast pipeline: OK"
