#!/usr/bin/env bash
# Start N Attention Lab replicas on consecutive loopback ports, sharing one
# cookie secret, for a load balancer in front (deploy/nginx/attention-lab.conf).
#
#   deploy/run_replicas.sh [N=2] [FIRST_PORT=8501]
#
# Environment:
#   STREAMLIT_SERVER_COOKIE_SECRET  shared by every replica (a random one when
#                                   unset). Use the same value on every
#                                   machine that runs replicas.
#   ATTENTION_LAB_ADDRESS           address to listen on (default 127.0.0.1;
#                                   0.0.0.0 when the balancer is on another host)
#   OMP_NUM_THREADS                 PyTorch threads per replica (default 1:
#                                   one replica per core, no oversubscription)
#   MALLOC_ARENA_MAX                glibc malloc arenas (default 2: less memory
#                                   per session, see deploy/README.md)
#   ATTENTION_LAB_LOG_DIR           where replica-<port>.log go (default runs/replicas)
#
# Stops every replica on Ctrl-C / SIGTERM; exits when any replica dies.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-2}"
first_port="${2:-8501}"
address="${ATTENTION_LAB_ADDRESS:-127.0.0.1}"
log_dir="${ATTENTION_LAB_LOG_DIR:-runs/replicas}"
python="${PYTHON:-python}"

if ! [[ "$count" =~ ^[1-9][0-9]*$ && "$first_port" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N] [FIRST_PORT]" >&2
  exit 2
fi

if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$("$python" -c 'import secrets; print(secrets.token_hex(32))')"
  # Not printed: logs are no place for it. Set it yourself to share it with
  # replicas on other machines.
  echo "STREAMLIT_SERVER_COOKIE_SECRET was unset; these replicas share a random one" >&2
fi
export STREAMLIT_SERVER_COOKIE_SECRET
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
mkdir -p "$log_dir"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

for ((i = 0; i < count; i++)); do
  port=$((first_port + i))
  "$python" -m streamlit run app/main.py \
    --server.address "$address" --server.port "$port" --server.headless true \
    >"$log_dir/replica-$port.log" 2>&1 &
  pids+=("$!")
  echo "replica $((i + 1))/$count: http://$address:$port (pid $!, log $log_dir/replica-$port.log)"
done

# Exit (stopping the others) as soon as one replica dies.
wait -n "${pids[@]}"
status=$?
echo "a replica exited with status $status; stopping the others" >&2
exit "$status"
