#!/usr/bin/env bash
# The tests whose results could depend on the CPU's vectorized kernels (values at ±inf,
# NaN and subnormals, every formula against torch), run again on an emulated CPU without
# AVX-512: qemu-user's Haswell model (AVX2), under which torch picks its AVX2 kernels.
# Not part of `make test` (emulation is slow: about 10 minutes on 2 cores); run it after
# changing a formula or a special-value test, on a machine whose CPU has AVX-512 (or the
# other way round: `CPU=Skylake-Server-v4`). qemu-user comes from Debian's archive, unpacked
# into .cache/qemu without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."
CPU="${CPU:-Haswell-v4}"
QEMU_DIR=.cache/qemu
if [ ! -x "$QEMU_DIR/usr/bin/qemu-x86_64" ]; then
  mkdir -p "$QEMU_DIR/debs"
  (cd "$QEMU_DIR/debs" && apt-get download qemu-user libcapstone4 liburing2)
  for deb in "$QEMU_DIR"/debs/*.deb; do dpkg -x "$deb" "$QEMU_DIR"; done
fi
export LD_LIBRARY_PATH="$PWD/$QEMU_DIR/usr/lib/x86_64-linux-gnu"
export OMP_NUM_THREADS=1
run() { "$QEMU_DIR/usr/bin/qemu-x86_64" -cpu "$CPU" .venv/bin/python "$@" 2> >(grep -v "TCG doesn't support" >&2); }
run -c 'import torch; print("torch kernels on the emulated CPU:", torch.backends.cpu.get_cpu_capability())'
run -m pytest -q -p no:warnings tests/test_formulas.py
run -m pytest -q -p no:warnings tests/activations \
  -k "bad_input or special_values or at_infinity or nan_causes or stable or slope_peaks"
