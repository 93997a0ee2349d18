#!/usr/bin/env bash
# The uniffi bindings, generated from the built library and tested in their own languages:
#   - Kotlin: compiled with the Kotlin compiler shipped in the PyPI wheel kotlin-jupyter-kernel
#     (pinned, sha256-checked, cached in $KYC_CACHE/kotlin) and run on the JVM through JNA;
#   - Swift: not compiled here; the generated sources must equal kyc-ffi/bindings/swift/ (the
#     committed golden copy). KYC_UPDATE_GOLDEN=1 rewrites them;
#   - Python: generated into $CARGO_TARGET_DIR/uniffi/python/kyc_uniffi (a package) for
#     kyc-ffi/tests/python (pytest).
# Needs java and /usr/share/java/jna.jar (Debian's libjna-java; scripts/setup.sh installs both).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
export KYC_CACHE="${KYC_CACHE:-$HOME/.cache/kyc}"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/uniffi"

KOTLIN_WHEEL="kotlin_jupyter_kernel-0.19.0.944-py3-none-any.whl"
KOTLIN_WHEEL_SHA256="dc654a426a28e6621aeb0bd7772d268a9a877aabae4a17b73383752a416281a3"
COMPILER_JAR="run_kotlin_kernel/jars/kotlin-jupyter-kernel-0.19.0-944-all.jar"
STDLIB_JAR="run_kotlin_kernel/jars/kotlin-stdlib-2.3.10-RC.jar"
JNA_JAR="/usr/share/java/jna.jar"

say() { echo "uniffi: $*" >&2; }

# The Kotlin compiler and standard library, from the pinned wheel.
kotlin_dir="$KYC_CACHE/kotlin"
mkdir -p "$kotlin_dir"
if [ ! -f "$kotlin_dir/jars.ok" ]; then
  if [ ! -f "$kotlin_dir/$KOTLIN_WHEEL" ]; then
    say "downloading kotlin-jupyter-kernel==0.19.0.944 (once)"
    python3 -m pip download -q --no-deps -d "$kotlin_dir" "kotlin-jupyter-kernel==0.19.0.944"
  fi
  echo "$KOTLIN_WHEEL_SHA256  $kotlin_dir/$KOTLIN_WHEEL" | sha256sum -c --quiet -
  python3 -m zipfile -e "$kotlin_dir/$KOTLIN_WHEEL" "$kotlin_dir/wheel" >/dev/null
  rm -f "$kotlin_dir/$KOTLIN_WHEEL"   # 80 MB; the two jars are what is kept
  mv "$kotlin_dir/wheel/$COMPILER_JAR" "$kotlin_dir/compiler.jar"
  mv "$kotlin_dir/wheel/$STDLIB_JAR" "$kotlin_dir/stdlib.jar"
  rm -rf "$kotlin_dir/wheel"
  sha256sum "$kotlin_dir/compiler.jar" "$kotlin_dir/stdlib.jar" > "$kotlin_dir/jars.ok"
fi
sha256sum -c --quiet "$kotlin_dir/jars.ok"
[ -f "$JNA_JAR" ] || { say "$JNA_JAR missing: apt-get install -y libjna-java"; exit 1; }

# The cdylib and uniffi-bindgen from exactly the build scripts/test.sh's `cargo test` makes (the
# whole workspace, same features), so after it this is a no-op; building kyc-ffi alone would
# compile kyc-core again with another feature set. Cargo's JSON messages say where they are.
say "building kyc-ffi (cdylib and uniffi-bindgen)"
artifacts=$(cargo test -q --workspace --features kyc-ffi/bindgen --no-run \
  --message-format=json-render-diagnostics)
read -r lib bindgen < <(python3 -c '
import json, sys
lib = bindgen = ""
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or m["profile"]["test"]:
        continue
    t = m["target"]
    if t["name"] == "kyc_ffi" and "cdylib" in t["kind"]:
        lib = next(f for f in m["filenames"] if f.endswith(".so"))
    if t["name"] == "uniffi-bindgen":
        bindgen = m["executable"]
print(lib, bindgen)
' <<<"$artifacts")
[ -n "$lib" ] && [ -n "$bindgen" ] || { say "cargo built no kyc-ffi cdylib or uniffi-bindgen"; exit 1; }

rm -rf "$out"
for language in kotlin swift python; do
  "$bindgen" generate --no-format --library "$lib" --language "$language" \
    --out-dir "$out/$language" >/dev/null
done
# Python: a package (the generated modules import each other relatively), beside the library.
mkdir -p "$out/python/kyc_uniffi"
mv "$out/python/"*.py "$out/python/kyc_uniffi/"
touch "$out/python/kyc_uniffi/__init__.py"
cp "$lib" "$out/python/kyc_uniffi/"

# Swift: the committed copy is the golden output.
if [ "${KYC_UPDATE_GOLDEN:-0}" = 1 ]; then
  rm -rf kyc-ffi/bindings/swift && mkdir -p kyc-ffi/bindings && cp -r "$out/swift" kyc-ffi/bindings/swift
fi
if ! diff -r kyc-ffi/bindings/swift "$out/swift" >/dev/null; then
  diff -ru kyc-ffi/bindings/swift "$out/swift" | head -40 >&2
  say "the generated Swift bindings differ from kyc-ffi/bindings/swift (KYC_UPDATE_GOLDEN=1 rewrites them)"
  exit 1
fi
say "Swift bindings equal the committed golden copy ($(ls kyc-ffi/bindings/swift | wc -l) files)"

# The façade's parity cases for the Kotlin test, one file each (the JVM test has no JSON parser):
# the expected output, or `error <kind> <code>`; and the callback case's inputs.
parity="$out/parity"
mkdir -p "$parity"
python3 - "$root/fixtures/expected/parity.json" "$parity" <<'PY'
import base64, json, pathlib, sys
cases = json.loads(pathlib.Path(sys.argv[1]).read_text())
out = pathlib.Path(sys.argv[2])
for name, case in cases.items():
    r = case["result"]
    text = r["output"] if "output" in r else f"error {r['error']['kind']} {r['error']['code']}"
    (out / f"{name}.expected").write_text(text)
cb = cases["callback"]
(out / "callback.secret").write_text(cb["secret"])
(out / "callback.now").write_text(str(cb["now"]))
(out / "callback.body").write_bytes(base64.b64decode(cb["body_base64"]))
(out / "callback.headers").write_text("\n".join(f"{n}\t{v}" for n, v in cb["headers"]))
PY

# Kotlin: compile (cached in $KYC_CACHE by the sources' hash: the compiler takes a minute) and run.
sources=$(find "$out/kotlin" -name '*.kt' | sort)
key=$(cat $sources kyc-ffi/tests/kotlin/Test.kt | sha256sum | cut -c1-16)
classes="$kotlin_dir/classes/$key"
cp_libs="$kotlin_dir/stdlib.jar:$JNA_JAR"
if [ ! -f "$classes/TestKt.class" ]; then
  say "compiling Kotlin"
  rm -rf "$kotlin_dir/classes" && mkdir -p "$classes"
  # shellcheck disable=SC2086
  java -cp "$kotlin_dir/compiler.jar" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler \
    -no-stdlib -no-reflect -nowarn -classpath "$cp_libs" -d "$classes" \
    $sources kyc-ffi/tests/kotlin/Test.kt
fi
java -cp "$classes:$cp_libs" -Djna.library.path="$(dirname "$lib")" TestKt "$root" "$parity"
