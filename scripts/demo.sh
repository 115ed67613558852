#!/usr/bin/env bash
# berth's sandbox walk-through: the whole platform on this machine, no AWS account.
#
#   npm run demo            (builds berth, then runs this script)
#
# Each step runs a berth command the way a person would, shows what it printed, and checks that it
# did what it says (its exit code and its --json document). The script exits 0 only if every step
# did; the first step that does not stops it, says which, and the sandbox is stopped.
#
# It works in its own project folder (a temporary one, or BERTH_DEMO_DIR), so it never touches the
# sandbox of the folder you run it from. BERTH_DEMO_KEEP=1 leaves the sandbox running at the end.
# Needs: node, terraform and moto_server on PATH (berth says which one is missing, exit 3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BERTH=(node "$ROOT/bin/berth.js")
export BERTH_PROJECT_DIR="${BERTH_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/berth-demo.XXXXXX")}"
export NO_COLOR=1
OUT="$BERTH_PROJECT_DIR/.demo"
mkdir -p "$OUT"
STARTED=$(date +%s)
UP=0

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
die() {
  printf '\nDEMO FAILED at "%s": %s\n' "${STEP:-?}" "$*" >&2
  exit 1
}
# Run berth with --json: stdout to $OUT/<name>.json, progress on the terminal; sets RC.
berth_json() {
  local name=$1
  shift
  set +e
  "${BERTH[@]}" "$@" --json >"$OUT/$name.json"
  RC=$?
  set -e
}
# Evaluate a JavaScript expression over a JSON file (d = the document); prints the result.
js() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = (0, eval)("(d) => (" + process.argv[2] + ")")(d); console.log(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"; }
expect_js() {
  local file=$1 expr=$2 what=$3
  [ "$(js "$file" "$expr")" = "true" ] || die "$what (in $file: $(head -c 600 "$file"))"
  ok "$what"
}
cleanup() {
  local rc=$?
  if [ "$UP" = 1 ] && [ "$rc" != 0 ] && [ -z "${BERTH_DEMO_KEEP:-}" ]; then
    printf '\nStopping the sandbox (berth sandbox down)...\n' >&2
    "${BERTH[@]}" sandbox down >/dev/null 2>&1 || true
  fi
  if [ "$rc" = 0 ] && [ -z "${BERTH_DEMO_KEEP:-}" ] && [ -z "${BERTH_DEMO_DIR:-}" ]; then rm -rf "$BERTH_PROJECT_DIR"; fi
}
trap cleanup EXIT

echo "berth sandbox demo in $BERTH_PROJECT_DIR"

STEP="1. sandbox up"
say "$STEP: start the emulator and apply every stack of the sandbox environment (real terraform, real AWS provider)"
berth_json up sandbox up
[ "$RC" = 0 ] || die "berth sandbox up exited $RC"
UP=1
expect_js "$OUT/up.json" 'd.applied && d.stacks.length === 9 && d.stacks.every(s => s.status === "applied" || s.status === "unchanged")' "all 9 stacks applied"
expect_js "$OUT/up.json" 'd.services.length > 0 && d.services.every(s => s.steady && s.running === s.desired && s.targets.healthy === s.desired)' "every service runs its desired count, healthy in its target group"
ENDPOINT=$(js "$OUT/up.json" 'd.endpoint')
HEALTH_URL=$(js "$OUT/up.json" 'd.services[0].healthUrl')
SERVICE=$(js "$OUT/up.json" 'd.services[0].name')
echo "   emulator $ENDPOINT, public URL $(js "$OUT/up.json" 'd.publicUrl'), health URL $HEALTH_URL"

STEP="2. sandbox status"
say "$STEP"
berth_json sandbox-status sandbox status
[ "$RC" = 0 ] || die "berth sandbox status exited $RC"
expect_js "$OUT/sandbox-status.json" "d.running === true && d.endpoint === '$ENDPOINT' && d.region === 'us-east-1'" "running, at $ENDPOINT, region us-east-1"
"${BERTH[@]}" status --env sandbox

STEP="3. a good deploy"
say "$STEP: berth deploy --tag v2"
berth_json deploy-good deploy --env sandbox --service "$SERVICE" --tag v2
[ "$RC" = 0 ] || die "berth deploy --tag v2 exited $RC"
expect_js "$OUT/deploy-good.json" 'd.ok === true && d.verdict === "succeeded"' "deploy succeeded"
curl -fsS "$HEALTH_URL" >"$OUT/health-v2.json" || die "$HEALTH_URL did not answer 2xx"
expect_js "$OUT/health-v2.json" 'd.status === "healthy" && d.version === "v2"' "$HEALTH_URL answers {\"status\":\"healthy\",\"version\":\"v2\"}"

STEP="4. a broken deploy"
say "$STEP: berth deploy --tag fail-exit (the container exits at start-up)"
berth_json deploy-broken deploy --env sandbox --service "$SERVICE" --tag fail-exit
[ "$RC" = 10 ] || die "berth deploy --tag fail-exit exited $RC, expected 10 (failed and rolled back)"
ok "exit 10: the deploy failed and was rolled back"
expect_js "$OUT/deploy-broken.json" 'd.ok === false && d.failures.some(f => f.kind === "essential-exit")' "the failure is explained: the essential container exited"
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const r of d.reasons) console.log("   reason: " + r); for (const f of d.failures) console.log("   failure: " + f.explanation);' "$OUT/deploy-broken.json"
curl -fsS "$HEALTH_URL" >"$OUT/health-after.json" || die "$HEALTH_URL did not answer 2xx after the rollback"
expect_js "$OUT/health-after.json" 'd.status === "healthy" && d.version === "v2"' "v2 is still the one serving"

STEP="5. logs"
say "$STEP: berth logs --filter ERROR (the broken tasks' last words)"
berth_json logs logs --env sandbox --service "$SERVICE" --since 15m --filter ERROR
[ "$RC" = 0 ] || die "berth logs exited $RC"
expect_js "$OUT/logs.json" 'Array.isArray(d) && d.some(e => /fatal error during start-up/.test(e.message))' "the failed tasks' ERROR lines are in CloudWatch Logs"
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const e of d.slice(-5)) console.log("   " + e.message);' "$OUT/logs.json"

STEP="6. health"
say "$STEP: berth health"
berth_json health health --env sandbox
[ "$RC" = 0 ] || die "berth health exited $RC"
expect_js "$OUT/health.json" 'd.healthy === true' "every service healthy (targets and the health URL)"

STEP="7. sandbox down"
say "$STEP: stop the emulator (its resources go with its memory) and remove the sandbox's state"
PID=$(js "$OUT/up.json" 'd.pid')
berth_json down sandbox down
[ "$RC" = 0 ] || die "berth sandbox down exited $RC"
UP=0
expect_js "$OUT/down.json" "d.stoppedPid === $PID && d.portsClosed.length === 2 && d.removed.includes('.berth/sandbox/state')" "emulator (pid $PID) stopped, its ports closed, the state removed"
[ ! -e "$BERTH_PROJECT_DIR/.berth/sandbox/state" ] || die "the sandbox's terraform state is still there after down"
if kill -0 "$PID" 2>/dev/null; then die "the emulator (pid $PID) is still running"; fi

printf '\nDemo passed: every step did what it says (%ss).\n' "$(($(date +%s) - STARTED))"
