#!/usr/bin/env bash
# Create ./.venv with everything rsp-registry needs (idempotent; reruns take seconds).
# Needs only Python 3.11 and pip; every package comes from PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
LLAMA_CPP_VERSION="0.3.36"
WHEELHOUSE="${RSP_WHEELHOUSE:-$HOME/.cache/rsp-registry/wheels}"

# llama-cpp-python has no wheel for this platform and, by default, compiles llama.cpp for the
# newest instructions of the build CPU (AVX-512, AMX). On these machines that build segfaults at
# the first decode, so build a portable AVX2 wheel once and keep it outside pip's own cache
# (whose entry would not record these flags).
if ! compgen -G "$WHEELHOUSE/llama_cpp_python-$LLAMA_CPP_VERSION-*.whl" >/dev/null; then
  echo "Building llama-cpp-python $LLAMA_CPP_VERSION for the CPU (about 6 minutes, once)..."
  mkdir -p "$WHEELHOUSE"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
-DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
    "$PYTHON" -m pip wheel --quiet --no-deps --no-cache-dir -w "$WHEELHOUSE" \
    "llama-cpp-python==$LLAMA_CPP_VERSION"
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --find-links "$WHEELHOUSE" -e ".[test]"
