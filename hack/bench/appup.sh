#!/usr/bin/env bash
# Measures the appup sidecar against its targets (DESIGN.md section 6): binary < 15 MiB, exec-to-first-200
# on /health < 50 ms, RSS < 16 MiB under load. Loopback only; every loop is bounded.
#   hack/bench/appup.sh              publish Native AOT for linux-x64, then measure
#   BIN=/path/to/appup hack/bench/appup.sh   measure an existing binary
# Needs: wrk and hyperfine (apt-get install -y wrk hyperfine); curl is not needed.
# Knobs: RUNS (startup samples, 20), DURATION (wrk seconds, 10), CONNECTIONS (wrk, 50), THREADS (wrk, 2).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-20}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# nap SECONDS: sleep without spawning a process (read with a timeout on a FIFO that never gets data).
mkfifo "$work/nap"; exec 4<>"$work/nap"
nap() { read -r -t "$1" -u 4 || true; }

if [ -z "${BIN:-}" ]; then
  dotnet publish src/AppUp -c Release -r linux-x64 -o "$work/publish" -nologo -v quiet
  BIN="$work/publish/appup"
fi
for tool in wrk hyperfine; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y $tool" >&2; exit 1; }; done

# One HTTP GET over bash's /dev/tcp. Sets STATUS (empty while the port is not listening yet). No subshell, no
# process spawn, so polling costs microseconds instead of the milliseconds a curl loop would add.
STATUS=""
probe() {
  local port=$1 path=$2 line=""
  STATUS=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' "$path" >&3
  read -r line <&3 || true
  exec 3<&- 3>&-
  line=${line#HTTP/1.1 }
  STATUS=${line:0:3}
}

free_port() { # a port nobody answers on; a race with another process is possible but harmless here
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    { (exec 3<>"/dev/tcp/127.0.0.1/$p"); } 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port found" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

echo "binary: $BIN"
size=$(stat -c %s "$BIN")
printf 'size: %d bytes (%.2f MiB)\n' "$size" "$(echo "$size / 1048576" | bc -l)"

echo "== process start/exit (appup --help), hyperfine"
hyperfine -N --warmup 3 --runs 50 "$BIN --help" 2>/dev/null | grep -E 'Time|Range'

echo "== exec to first 200 on /health ($RUNS runs)"
samples=()
for _ in $(seq "$RUNS"); do
  port=$(free_port)
  t0=$EPOCHREALTIME
  UP_FILE="$work/up.txt" UP_PORT=$port "$BIN" 2>/dev/null &
  pid=$!
  deadline=$(( ${EPOCHREALTIME/./} + 5000000 ))
  # Poll every ~0.5 ms: a busy loop would steal the CPU appup needs to start (this machine may have 2 cores).
  until probe "$port" /health; [ "$STATUS" = 200 ]; do
    (( ${EPOCHREALTIME/./} < deadline )) || { echo "appup did not answer within 5 s" >&2; exit 1; }
    nap 0.0005
  done
  t1=$EPOCHREALTIME
  samples+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
  kill -TERM "$pid"; wait "$pid" || true; pid=""
done
printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "ms: min %.2f  median %.2f  max %.2f\n", a[1], a[int((NR+1)/2)], a[NR]}'

echo "== memory and throughput"
port=$(free_port)
UP_FILE="$work/up.txt" UP_PORT=$port "$BIN" 2>"$work/log" &
pid=$!
until probe "$port" /health; [ "$STATUS" = 200 ]; do nap 0.001; done
echo "RSS idle: $(rss_kib "$pid") KiB"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/health" > "$work/wrk" &
wrk_pid=$!
peak_during=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  r=$(rss_kib "$pid"); (( r > peak_during )) && peak_during=$r
  nap 0.5
done
wait "$wrk_pid"
grep -E 'Requests/sec|Latency|requests in|Non-2xx|Socket errors' "$work/wrk"
echo "RSS under load (sampled peak): $peak_during KiB; VmHWM: $(hwm_kib "$pid") KiB; RSS after: $(rss_kib "$pid") KiB"
kill -TERM "$pid"; wait "$pid"; echo "exit code after SIGTERM: $?"; pid=""
