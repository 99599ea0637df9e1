#!/usr/bin/env bash
# Prove that relcode's cluster recipe works on a real Slurm cluster.
#
# Starts a throwaway one-node Slurm cluster on this machine (Debian's slurm-wlm
# and munge) and runs the README's recipe (## Large corpora and clusters) on a
# corpus: a job array of `relcode code … --shard K/N` tasks, then `relcode
# merge` as a job that depends on it. Then it checks that the merged output is
# byte for byte what one `relcode code` run on one machine writes, for --level
# turn, summary and match.
#
#   scripts/slurm-demo.sh              # run it; the machine is left as found
#   scripts/slurm-demo.sh --tasks 8    # array size (default 4)
#   scripts/slurm-demo.sh --keep       # leave the cluster and the files in place
#   scripts/slurm-demo.sh --smoke      # only check the cluster with a trivial array job
#   scripts/slurm-demo.sh --force      # replace a slurm.conf this script did not write
#                                      # (it is put back afterwards)
#
# Needs root and Debian (12 or later): it installs slurm-wlm and munge with
# apt-get when they are missing, writes /etc/slurm/slurm.conf (and removes it
# again), and starts munged, slurmctld and slurmd directly, without systemd.
# All cluster traffic stays on 127.0.0.1. It is idempotent: run it as often as
# you like. Scratch files live in $RELCODE_SLURM_DEMO_DIR
# (default /tmp/relcode-slurm-demo); they are kept when a step fails.
set -euo pipefail

started=$(date +%s.%N)
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- options
tasks=4
keep=0
force=0
smoke=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks=${2:?--tasks needs a number}; shift 2 ;;
    --tasks=*) tasks=${1#*=}; shift ;;
    --keep) keep=1; shift ;;
    --force) force=1; shift ;;
    --smoke) smoke=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "slurm-demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$tasks" =~ ^[1-9][0-9]*$ ]] || { echo "slurm-demo: --tasks must be a positive whole number, not '$tasks'" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
base=${RELCODE_SLURM_DEMO_DIR:-/tmp/relcode-slurm-demo}
cluster=$base/cluster # slurm state, spool, pid and log files
work=$base/work       # corpus, reference outputs, shard outputs, merged outputs
annomi=$repo/../shared/data/annomi/AnnoMI-simple.csv
marker='# relcode-slurm-demo: written by scripts/slurm-demo.sh; it deletes this file when done'
node_name=$(hostname -s)

step() { printf '\n==> %s  [at %s s]\n' "$*" "$(since "$started")"; }
die() { printf '\nslurm-demo: FAILED: %s\n' "$*" >&2; exit 1; }
since() { LC_ALL=C awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
# Print the end of the daemons' logs: what to read when the cluster misbehaves.
show_logs() {
  local f
  for f in "$cluster"/log/*.log; do
    [ -f "$f" ] || continue
    printf -- '--- last lines of %s\n' "$f" >&2
    tail -n 25 "$f" >&2
  done
}

[ "$(id -u)" -eq 0 ] || die "run me as root: I install packages and start the Slurm daemons"

# ---------------------------------------------------------------- clean-up
# Everything this run starts or changes is recorded here and undone on exit.
started_munged=0
started_slurm=0
wrote_conf=0
slurm_conf=
conf_backup=
job_id=
ok=0
cleanup() {
  local rc=$?
  set +e
  if [ "$keep" -eq 1 ]; then
    if [ "$started_munged" -eq 1 ] && [ -d "$base" ]; then cp /run/munge/munged.pid "$base/munged.pid"; fi
    if [ "$wrote_conf" -eq 1 ]; then
      echo
      echo "--keep: the cluster is still running (config $slurm_conf; logs, state and pid files in $cluster)."
      echo "        Files are in $work. Run this script again without --keep to stop it and clean up."
    fi
  else
    if [ -n "$job_id" ]; then
      # Cancel our jobs and let them end while slurmctld is still there to hear it
      # (a job step left without its controller keeps retrying).
      # shellcheck disable=SC2086 # job_id is a list of job ids
      scancel $job_id 2>/dev/null
      for _ in $(seq 100); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
    fi
    daemons=()
    if [ "$started_slurm" -eq 1 ]; then daemons+=("$cluster/slurmd.pid" slurmd "$cluster/slurmctld.pid" slurmctld); fi
    if [ "$started_munged" -eq 1 ]; then daemons+=(/run/munge/munged.pid munged); fi
    stop_daemons "${daemons[@]}"
    if [ "$wrote_conf" -eq 1 ]; then rm -f "$slurm_conf"; fi
    if [ -n "$conf_backup" ]; then mv "$conf_backup" "$slurm_conf"; fi
    if [ "$ok" -eq 1 ]; then
      rm -rf "$base"
    elif [ -d "$base" ]; then
      echo "slurm-demo: the files of this run are kept in $base for a look" >&2
    fi
  fi
  echo
  echo "slurm-demo: total wall time $(since "$started") s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop_daemons FILE NAME [FILE NAME …]: stop each daemon whose pid is in FILE if
# that process is still the program NAME; all at once, as each takes ~2 s.
stop_daemons() {
  local pids=() pid alive
  while [ $# -ge 2 ]; do
    if [ -s "$1" ]; then
      pid=$(cat "$1")
      if [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "$2" ]; then kill "$pid" && pids+=("$pid"); fi
    fi
    rm -f "$1"
    shift 2
  done
  for _ in $(seq 50); do
    alive=
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || return 0
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  return 0
}

# ---------------------------------------------------------------- 1. packages
step "1. Slurm and munge packages"
missing=0
for cmd in slurmctld slurmd sbatch squeue scontrol sinfo scancel munged munge unmunge; do
  command -v "$cmd" >/dev/null || missing=1
done
if [ "$missing" -eq 1 ]; then
  echo "installing slurm-wlm and munge with apt-get"
  apt_log=$(mktemp /tmp/relcode-slurm-demo-apt.XXXXXX)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get could not install slurm-wlm and munge (log: $apt_log)"
  fi
  rm -f "$apt_log"
fi
echo "$(slurmctld -V), $(munged --version 2>&1 | awk '{print $1; exit}')"

# ---------------------------------------------------------------- 2. is this a Slurm node already?
step "2. existing Slurm set-up"
# Debian 11 and later read /etc/slurm; older releases read /etc/slurm-llnl.
if [ -d /etc/slurm ] || [ ! -d /etc/slurm-llnl ]; then conf_dir=/etc/slurm; else conf_dir=/etc/slurm-llnl; fi
slurm_conf=$conf_dir/slurm.conf

# A cluster left running by an earlier `--keep` run is ours: stop it first.
if [ -f "$slurm_conf" ] && grep -qxF "$marker" "$slurm_conf"; then
  echo "stopping the demo cluster that an earlier --keep run left"
  # The munged it started is ours too: it is stopped at the end of this run.
  if [ -s "$base/munged.pid" ] && [ "$(cat "$base/munged.pid")" = "$(cat /run/munge/munged.pid 2>/dev/null)" ]; then
    started_munged=1
  fi
  stop_daemons "$cluster/slurmd.pid" slurmd "$cluster/slurmctld.pid" slurmctld
  rm -f "$slurm_conf"
  if [ -f "$slurm_conf.before-relcode-slurm-demo" ]; then mv "$slurm_conf.before-relcode-slurm-demo" "$slurm_conf"; fi
fi
if [ -f "$slurm_conf" ]; then
  if [ "$force" -eq 0 ]; then
    die "$slurm_conf exists and this script did not write it: this machine may be part of a real cluster. Re-run with --force to set it aside for the demo (it is put back afterwards)."
  fi
  conf_backup=$slurm_conf.before-relcode-slurm-demo
  mv "$slurm_conf" "$conf_backup"
  echo "--force: moved $slurm_conf to $conf_backup for the demo"
fi
for daemon in slurmctld slurmd; do
  if pgrep -x "$daemon" >/dev/null; then
    die "a $daemon that this script did not start is running (pid $(pgrep -x "$daemon" | tr '\n' ' ')); stop it first"
  fi
done
echo "none in the way ($slurm_conf is free, no slurmctld or slurmd running)"

# ---------------------------------------------------------------- 3. munge
step "3. munge (authentication between the Slurm daemons)"
if [ ! -s /etc/munge/munge.key ]; then
  echo "creating /etc/munge/munge.key"
  install -d -o munge -g munge -m 0700 /etc/munge
  if command -v mungekey >/dev/null; then
    runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
  else
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  echo "munged is already running (pid $(cat /run/munge/munged.pid 2>/dev/null || echo '?')); using it"
else
  install -d -o munge -g munge -m 0755 /run/munge
  # --force: start even if a dead munged left its socket behind.
  started_munged=1
  runuser -u munge -- munged --force
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || die "munged did not start (see /var/log/munge/munged.log)"
  echo "started munged (pid $(cat /run/munge/munged.pid))"
fi

# ---------------------------------------------------------------- 4. slurm.conf
step "4. slurm.conf for a one-node cluster on $node_name"
# Fresh scratch space every run (only ever our own directory, recognised by its marker file).
if [ -e "$base" ]; then
  [ -f "$base/.relcode-slurm-demo" ] || die "$base exists and is not this script's; set RELCODE_SLURM_DEMO_DIR to another directory"
  rm -rf "$base"
fi
mkdir -p "$cluster/state" "$cluster/spool" "$cluster/log" "$work"
touch "$base/.relcode-slurm-demo"

cpus=$(nproc)
mem_mb=$(free -m | awk '/^Mem:/ { print $2 }')
mkdir -p "$conf_dir"
wrote_conf=1
cat >"$slurm_conf" <<EOF
$marker
# A throwaway one-node cluster; every address is 127.0.0.1.
ClusterName=relcode-demo
SlurmctldHost=$node_name(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# No systemd or cgroup set-up is needed for these two.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# Hand out cores, not memory, so the array tasks run side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Trust this file over what slurmd detects, and bring the node back by itself.
SlurmdParameters=config_overrides
ReturnToService=2
# Keep finished jobs visible to scontrol for 10 minutes (there is no accounting database).
MinJobAge=600
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/log/slurmctld.log
SlurmdLogFile=$cluster/log/slurmd.log
NodeName=$node_name NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=demo Nodes=$node_name Default=YES MaxTime=INFINITE State=UP
EOF
echo "wrote $slurm_conf: node $node_name, $cpus CPUs, $mem_mb MB, partition demo"

# ---------------------------------------------------------------- 5. daemons
step "5. slurmctld and slurmd"
# Without -D both daemonise and write their pid files; -c starts from a clean state.
started_slurm=1
slurmctld -c || { show_logs; die "slurmctld would not start"; }
slurmd -c || { show_logs; die "slurmd would not start"; }
deadline=$((SECONDS + 60))
until [ "$(sinfo -h -n "$node_name" -o %t 2>/dev/null)" = idle ]; do
  if [ $SECONDS -ge $deadline ]; then
    sinfo -N -l >&2 || true
    sinfo -R >&2 || true
    show_logs
    die "node $node_name did not become idle within 60 s"
  fi
  sleep 0.5
done
echo "slurmctld pid $(cat "$cluster/slurmctld.pid"), slurmd pid $(cat "$cluster/slurmd.pid")"
sinfo

# Wait (at most 10 minutes) until none of the given jobs is in the queue.
wait_jobs() {
  local deadline=$((SECONDS + 600)) ids
  ids=$(IFS=,; echo "$*")
  while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
    if [ $SECONDS -ge $deadline ]; then
      squeue -j "$ids" >&2
      show_logs
      die "job(s) $ids did not finish within 600 s"
    fi
    sleep 0.5
  done
}

# There is no accounting database (sacct), so ask slurmctld: every task of job
# $1 (expecting $2 of them) must have COMPLETED with exit code 0:0.
check_job() {
  local id=$1 expect=$2 line task state code out failed=() count=0
  while read -r line; do
    count=$((count + 1))
    task=$(grep -o 'ArrayTaskId=[^ ]*' <<<"$line" | cut -d= -f2) || task=
    state=$(grep -o 'JobState=[^ ]*' <<<"$line" | cut -d= -f2)
    code=$(grep -o ' ExitCode=[^ ]*' <<<"$line" | cut -d= -f2)
    out=$(grep -o 'StdOut=[^ ]*' <<<"$line" | cut -d= -f2)
    echo "  job $id${task:+, task $task}: $state, exit code $code"
    if [ "$state" != COMPLETED ] || [ "$code" != 0:0 ]; then failed+=("$out"); fi
  done < <(scontrol -o show job "$id" | awk '{ n = match($0, /ArrayTaskId=[0-9]+/) ? substr($0, RSTART + 12, RLENGTH - 12) : 0; print n "\t" $0 }' | sort -n | cut -f2-)
  if [ "${#failed[@]}" -gt 0 ] || [ "$count" -ne "$expect" ]; then
    for out in "${failed[@]}"; do
      if [ -f "$out" ]; then printf -- '--- last lines of %s\n' "$out" >&2; tail -n 15 "$out" >&2; fi
    done
    die "job $id: $count task(s) reported, not all $expect COMPLETED with exit code 0:0"
  fi
}

if [ "$smoke" -eq 1 ]; then
  step "6. a trivial job array (--smoke)"
  mkdir -p "$work/logs" "$work/out"
  cat >"$work/smoke.sh" <<'EOF'
#!/bin/bash
#SBATCH --job-name=relcode-smoke
#SBATCH --output=logs/smoke-%a.log
#SBATCH --cpus-per-task=1
echo "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT on $(hostname -s)" > "out/smoke.$SLURM_ARRAY_TASK_ID.txt"
EOF
  job_id=$(sbatch --parsable --array="1-$tasks" --chdir="$work" "$work/smoke.sh")
  echo "submitted job array $job_id (tasks 1-$tasks)"
  wait_jobs "$job_id"
  check_job "$job_id" "$tasks"
  for k in $(seq "$tasks"); do
    [ "$(cat "$work/out/smoke.$k.txt")" = "$k/$tasks on $node_name" ] || die "task $k wrote '$(cat "$work/out/smoke.$k.txt" 2>/dev/null)'"
  done
  echo "OK: the cluster ran all $tasks array tasks"
  ok=1
  exit 0
fi

# ---------------------------------------------------------------- 6. corpus
step "6. corpus"
if [ ! -f "$repo/dist/cli/main.js" ] || [ ! -d "$repo/node_modules" ]; then
  echo "relcode is not built: npm ci"
  (cd "$repo" && npm ci --no-audit --no-fund)
fi
relcode() { node "$repo/bin/relcode.js" "$@"; }
corpus=$work/corpus
mkdir -p "$corpus"
# Every fixture format (text, CSV, TSV, JSONL, JSON, DOCX, VTT, SRT, CHAT), four
# copies under distinct names. The CSV/JSON copies keep the transcript ids inside
# them, so the corpus also has repeated ids across files, as real ones do.
for copy in 1 2 3 4; do
  for f in "$repo"/fixtures/transcripts/*.*; do
    name=${f##*/}
    cp "$f" "$corpus/${name%.*}-copy$copy.${name##*.}"
  done
done
# AnnoMI, when the shared data is here: one CSV per transcript (133 files).
if [ -f "$annomi" ]; then
  node --input-type=module - "$repo" "$annomi" "$corpus" <<'EOF'
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
const [repo, annomi, corpus] = process.argv.slice(2);
const require = createRequire(`${repo}/package.json`);
const { parse } = require('csv-parse/sync');
const { stringify } = require('csv-stringify/sync');
const rows = parse(readFileSync(annomi), { columns: true });
const byTranscript = new Map();
for (const r of rows) byTranscript.set(r.transcript_id, [...(byTranscript.get(r.transcript_id) ?? []), r]);
for (const [id, list] of byTranscript) {
  writeFileSync(`${corpus}/annomi-${id.padStart(3, '0')}.csv`, stringify(list, { header: true, columns: Object.keys(rows[0]) }));
}
EOF
fi
files=$(find "$corpus" -type f | wc -l)
echo "$files files in $corpus$([ -f "$annomi" ] && echo ' (fixtures x4 and AnnoMI split per transcript)' || echo ' (fixtures x4; AnnoMI is not here)')"

# ---------------------------------------------------------------- 7. the README's recipe
step "7. the README's Slurm recipe (README.md, ## Large corpora and clusters)"
# Run the very lines the README shows, so the demo breaks when they do.
section=$(sed -n '/^## Large corpora and clusters/,/^## /p' "$repo/README.md")
code_line=$(grep -m1 -E '^relcode code .*--shard ' <<<"$section") ||
  die "README.md's '## Large corpora and clusters' has no 'relcode code … --shard …' line"
merge_line=$(grep -m1 -E '^relcode merge ' <<<"$section") ||
  die "README.md's '## Large corpora and clusters' has no 'relcode merge …' line"
printf '  %s\n  %s\n' "$code_line" "$merge_line"
# The same lines for the other levels: --level turn → summary, match; turns → summary, matches.
levels='turn summary match'
declare -A out_name=([turn]=turns [summary]=summary [match]=matches)
for_level() { sed "s/--level turn/--level $1/; s/\bturns\b/${out_name[$1]}/g" <<<"$2"; }
corpus_arg=$(awk '{ print $3 }' <<<"$code_line")   # e.g. corpus/
merged_out=$(sed -E 's/.* -o ([^ ]+).*/\1/' <<<"$merge_line")  # e.g. turns.csv
[ "$corpus_arg" = corpus/ ] || die "expected the README's code line to read corpus/, not $corpus_arg"
[[ "$code_line" == *"--level turn"* && "$merged_out" == turns.* ]] || levels=turn

# ---------------------------------------------------------------- 8. reference
step "8. single-machine reference runs"
cd "$work"
mkdir -p ref
ref_start=$(date +%s.%N)
# Warnings (speakers without a role and so on) go to ref/*.log, as the tasks' go to logs/.
for level in $levels; do
  name=${out_name[$level]}
  relcode code corpus/ --level "$level" -q -o "ref/$name.csv" 2>"ref/$name.log" ||
    { tail -n 20 "ref/$name.log" >&2; die "the single-machine run (--level $level) failed"; }
  echo "  relcode code corpus/ --level $level -q -o ref/$name.csv"
done
ref_seconds=$(since "$ref_start")
rows() { # data rows of a CSV file (cells may hold newlines)
  node -e 'const { parse } = require(require("node:module").createRequire(process.argv[1] + "/package.json").resolve("csv-parse/sync"));
    console.log(parse(require("node:fs").readFileSync(process.argv[2]), { columns: true }).length)' "$repo" "$1"
}
turns=$(rows ref/turns.csv)
echo "$turns turns in $ref_seconds s (warnings in ref/*.log)"

# ---------------------------------------------------------------- 9. job array and merge job
step "9. job array of $tasks relcode code --shard tasks, then relcode merge as a dependent job"
mkdir -p out logs
{
  echo '#!/bin/bash'
  echo '#SBATCH --job-name=relcode'
  echo '#SBATCH --output=logs/relcode-%a.log'
  echo 'set -euo pipefail'
  echo "relcode() { node $(printf %q "$repo/bin/relcode.js") \"\$@\"; }"
  for level in $levels; do for_level "$level" "$code_line"; done
} >shards.sh
{
  echo '#!/bin/bash'
  echo '#SBATCH --job-name=relcode-merge'
  echo '#SBATCH --output=logs/merge.log'
  echo 'set -euo pipefail'
  echo "relcode() { node $(printf %q "$repo/bin/relcode.js") \"\$@\"; }"
  for level in $levels; do for_level "$level" "$merge_line"; done
} >merge.sh
sed -n 's/^relcode/  relcode/p' shards.sh merge.sh
array_start=$(date +%s.%N)
job_id=$(sbatch --parsable --array="1-$tasks" --chdir="$work" shards.sh)
array_id=$job_id
echo "sbatch --array=1-$tasks shards.sh: job $array_id"
job_id=$(sbatch --parsable --dependency="afterok:$array_id" --kill-on-invalid-dep=yes --chdir="$work" merge.sh)
merge_id=$job_id
echo "sbatch --dependency=afterok:$array_id merge.sh: job $merge_id"
job_id="$array_id $merge_id"
wait_jobs "$array_id" "$merge_id"
array_seconds=$(since "$array_start")
check_job "$array_id" "$tasks"
check_job "$merge_id" 1
job_id=
grep -h 'relcode: info: merged' logs/merge.log | sed 's/^/  /'
echo "both jobs done in $array_seconds s"

# ---------------------------------------------------------------- 10. compare
step "10. cmp: merged shard outputs against the single run"
for level in $levels; do
  name=${out_name[$level]}
  merged=$(for_level "$level" "$merged_out")
  if cmp "$merged" "ref/$name.csv"; then
    echo "  --level $level: $merged = ref/$name.csv ($(wc -c <"ref/$name.csv") bytes)"
  else
    diff "ref/$name.csv" "$merged" | head -20 >&2 || true
    die "--level $level: merging the shard outputs did not give the single run's output byte for byte"
  fi
done
echo
echo "OK: merged shard outputs are byte-for-byte identical to a single run ($files files, $turns turns, $array_seconds s on $tasks array tasks + merge; single run $ref_seconds s)"
ok=1
