#!/usr/bin/env bash
# The main job on the bundled example: check the seed department's accounts and
# build its whole disclosure into output/wuhai-gxj-2023/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh
example=${1:-examples/wuhai-gxj-2023}
out=${2:-output/$(basename "$example")}
echo "== 检查 $example" >&2
.venv/bin/juesuan check "$example" || true
if .venv/bin/juesuan build --help >/dev/null 2>&1; then
  echo "== 生成公开文档 → $out" >&2
  .venv/bin/juesuan build "$example" -o "$out" --force --draft
else
  echo "（本版本尚无 build 命令）" >&2
fi
