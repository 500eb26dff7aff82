# Helpers for hack/bench/run (sourced). Polling and sampling without busy loops or process spawns, so the
# measurement does not steal the CPU the measured process needs (this machine may have 2 cores).

# nap SECONDS: sleep without spawning a process (read with a timeout on a FIFO that never gets data).
# Needs BENCH_WORK set; opens fd 4.
nap_init() { mkfifo "$BENCH_WORK/nap"; exec 4<>"$BENCH_WORK/nap"; }
nap() { read -r -t "$1" -u 4 || true; }

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# probe PORT PATH: one HTTP GET over bash's /dev/tcp; sets STATUS (empty while nothing listens) and BODY.
# No subshell, no process spawn: polling costs microseconds instead of the milliseconds a curl loop would add.
STATUS="" BODY=""
probe() {
  local port=$1 path=$2 line="" body=""
  STATUS="" BODY=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' "$path" >&3 2>/dev/null || { exec 3<&- 3>&-; return 0; }
  read -r line <&3 || true
  if [ "${PROBE_BODY:-0}" = 1 ]; then
    while IFS= read -r -t 2 body <&3 || [ -n "$body" ]; do BODY+="$body"$'\n'; body=""; done
  fi
  exec 3<&- 3>&-
  line=${line#HTTP/1.? }
  STATUS=${line:0:3}
}

free_port() { # a port nobody answers on; a race with another process is possible but harmless here
  # Below the kernel's ephemeral range: client ports (and their TIME_WAIT after a connection flood) live there, and a
  # server cannot bind a port a connection still holds.
  local p low=32768
  read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  for p in $(shuf -i 10000-$((low - 1)) -n 50); do
    { (exec 3<>"/dev/tcp/127.0.0.1/$p"); } 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port found" >&2; return 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# rss_breakdown PID: where the resident memory is, from /proc/PID/smaps (KiB -> MiB): the program's own file pages
# (code and read-only data), its anonymous pages (writable data, .bss and the data Native AOT rehydrates at start), the
# shared libraries' pages, the C heap ([heap] and glibc's thread arenas are among "other anonymous"), and the rest.
rss_breakdown() {
  awk -v exe="$(readlink "/proc/$1/exe" 2>/dev/null)" '
    /^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); name = $6; is_exe = (name == exe) || (name == "" && last_exe_end == r[1]); if (name == exe) last_exe_end = r[2]; next }
    /^Rss:/ {
      if (is_exe && name != "") binf += $2; else if (is_exe) bina += $2
      else if (name ~ /^\//) lib += $2
      else if (name == "[heap]") heap += $2
      else anon += $2
    }
    /^Anonymous:/ { if (is_exe && name != "") { binf -= $2; bina += $2 } }
    END { printf "binary file pages %.1f, binary anonymous (data, .bss, rehydrated) %.1f, libraries %.1f, C heap [heap] %.1f, other anonymous (GC heap, stacks, arenas) %.1f MiB", binf/1024, bina/1024, lib/1024, heap/1024, anon/1024 }
  ' "/proc/$1/smaps" 2>/dev/null
}
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
load1() { cut -d' ' -f1 /proc/loadavg; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }           # KiB -> MiB
mib_bytes() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }  # bytes -> MiB

# wait_status PORT PATH CODE SECONDS PID: poll until PATH answers CODE; fails if PID dies or time runs out.
wait_status() {
  local port=$1 path=$2 code=$3 secs=$4 pid=$5 deadline
  deadline=$(( $(now_us) + secs * 1000000 ))
  while :; do
    probe "$port" "$path"
    [ "$STATUS" = "$code" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid exited before $path answered $code" >&2; return 1; }
    (( $(now_us) < deadline )) || { echo "no $code on :$port$path within ${secs}s (last status '${STATUS}')" >&2; return 1; }
    nap 0.002
  done
}

# median / percentile of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) { print "nan"; exit } printf "%.2f", a[int((NR+1)/2)] }'; }

# row COMPONENT CASE VALUE TARGET RESULT  -> one line of the results table
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(load1)" >> "$BENCH_ROWS"; }

# verdict OK? -> pass/miss (1 = pass)
verdict() { if [ "$1" = 1 ]; then echo pass; else echo "**miss**"; fi; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print ((a + 0 < b + 0) ? 1 : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print ((a + 0 >= b + 0) ? 1 : 0) }'; }
