# Shared shell helpers for scripts/*.sh (sourced, not run).

step() { printf '\n==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf '\nerror: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf 'what to do: %s\n' "$2" >&2
  exit 1
}

# count_passed LOG -- how many tests the runners in LOG reported as passed.
# Understands cargo test / wasm-bindgen-test-runner, node --test, vitest and our own
# "N passed, N failed" closing lines.
count_passed() {
  local log="$1" n=0 x
  while read -r x; do n=$((n + x)); done < <(
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -oP '(test result: ok\. \K\d+(?= passed))|(^[#ℹ] pass \K\d+$)|(^\s*Tests\s+\K\d+(?= passed))|(^(\w+: )?\K\d+(?= passed, \d+ failed))'
  )
  echo "$n"
}

# e2e_exclude -- cargo arguments that leave out the end-to-end crate (it needs relays
# running and builds natively only), if the workspace has it.
e2e_exclude() {
  [ -f "${GFMS_ROOT:-.}/tests/e2e/Cargo.toml" ] && echo "--exclude gfms-e2e"
  return 0
}
