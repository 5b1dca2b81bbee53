# Sourced by scripts and the Makefile's recipes: puts the project's tools on PATH and
# tells worker-build where they are, so it never tries to download anything.
GFMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$GFMS_ROOT/node_modules/.bin:$PATH"
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export ESBUILD_BIN="$GFMS_ROOT/node_modules/.bin/esbuild"
