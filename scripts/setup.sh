#!/usr/bin/env bash
# Set up everything juesuan needs, idempotently:
#  - on Debian/Ubuntu as root: CJK fonts, poppler-utils, Chromium (web UI tests) and LibreOffice
#    Writer (the Word pages' test converts the .docx to PDF with it) via apt;
#  - a virtual environment in .venv with juesuan and its Python dependencies.
# Usage: source this file, or run it; JUESUAN_EXTRAS selects pip extras (default: all).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

apt_packages=(fonts-noto-cjk poppler-utils libharfbuzz-subset0 chromium libreoffice-writer-nogui)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "安装系统软件包：${missing[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "提示：未找到中文字体。Debian/Ubuntu 上请以 root 运行本脚本或安装 fonts-noto-cjk。" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.juesuan-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "安装 Python 依赖到 .venv …" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".[${JUESUAN_EXTRAS:-all}]"
  touch "$stamp"
fi
