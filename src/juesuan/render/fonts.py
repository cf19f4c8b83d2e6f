"""Finding a Chinese font on the machine, without any network.

Users run on Windows or domestic Linux (UOS, Kylin) with whatever fonts the
system ships, so we look for them by name in order of preference: the
official-document fonts first (仿宋_GB2312, 黑体 …), then the common free CJK
fonts (Noto / Source Han, WenQuanYi).  On Linux ``fc-list`` knows every font;
on Windows (no fontconfig) we probe the well-known files in ``%WINDIR%\\Fonts``.

Shared by the chart builder (matplotlib needs a font file) and the renderers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

Kind = Literal["serif", "sans", "fangsong", "kai"]

# Family names in order of preference for each kind (fontconfig family names).
PREFERRED: dict[str, tuple[str, ...]] = {
    "serif": (
        "SimSun", "宋体", "NSimSun", "Songti SC", "STSong", "FZShuSong-Z01",
        "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN",
        "Noto Serif SC", "AR PL UMing CN", "AR PL SungtiL GB",
    ),
    "sans": (
        "SimHei", "黑体", "Microsoft YaHei", "微软雅黑", "Heiti SC", "STHeiti",
        "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
        "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
    ),
    "fangsong": (
        "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "FZFangSong-Z02",
    ),
    "kai": ("KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "STKaiti", "AR PL UKai CN"),
}

# Where Windows keeps these fonts (file names are stable across versions), in order of
# preference for each kind, with the family name each file holds.  仿宋_GB2312 and
# 楷体_GB2312 (the official-document fonts) come first where a user installed them.
WINDOWS_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "serif": (("simsun.ttc", "SimSun"), ("simsunb.ttf", "SimSun-ExtB"), ("STSONG.TTF", "STSong")),
    "sans": (("simhei.ttf", "SimHei"), ("msyh.ttc", "Microsoft YaHei"), ("msyh.ttf", "Microsoft YaHei"),
             ("STXIHEI.TTF", "STXihei")),
    "fangsong": (("FANGSONG_GB2312.TTF", "FangSong_GB2312"), ("simfang.ttf", "FangSong"),
                 ("STFANGSO.TTF", "STFangsong")),
    "kai": (("KAITI_GB2312.TTF", "KaiTi_GB2312"), ("simkai.ttf", "KaiTi"), ("STKAITI.TTF", "STKaiti")),
}

# What to fall back to when a kind has no font of its own.
FALLBACK: dict[str, tuple[str, ...]] = {
    "serif": ("serif", "sans"),
    "sans": ("sans", "serif"),
    "fangsong": ("fangsong", "serif", "sans"),
    "kai": ("kai", "serif", "sans"),
}


@lru_cache(maxsize=1)
def _fc_fonts() -> tuple[tuple[str, Path], ...]:
    """(family, file) for every font fontconfig says covers Chinese."""
    exe = shutil.which("fc-list")
    if not exe:
        return ()
    try:
        out = subprocess.run(
            [exe, ":lang=zh", "family", "style", "file"], capture_output=True, text=True,
            timeout=20, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    regular: list[tuple[str, Path]] = []
    other: list[tuple[str, Path]] = []
    for line in sorted(out.splitlines()):
        file, _, rest = line.partition(": ")
        families, _, style = rest.partition(":style=")
        # Regular faces first, so a family maps to its upright normal-weight file.
        sink = regular if re.search(r"\b(Regular|Book|Normal)\b", style) else other
        for fam in families.strip().split(","):
            if fam.strip():
                sink.append((fam.strip(), Path(file.strip())))
    return tuple(regular + other)


def _windows_dirs() -> list[Path]:
    """The system font folder (``%WINDIR%\\Fonts``) and the user's own (fonts installed
    without administrator rights go to ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``)."""
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    if sys.platform == "win32" and not dirs:
        dirs.append(Path("C:/Windows/Fonts"))
    return dirs


def _find_exact(kind: str) -> tuple[str, Path] | None:
    fonts = _fc_fonts()
    by_family: dict[str, Path] = {}
    for fam, file in fonts:
        by_family.setdefault(fam.lower(), file)
    for fam in PREFERRED[kind]:
        file = by_family.get(fam.lower())
        if file and file.exists():
            return fam, file
    for name, family in WINDOWS_FILES[kind]:
        for d in _windows_dirs():
            for candidate in (d / name, d / name.lower()):
                if candidate.is_file():
                    return family, candidate
    return None


@lru_cache(maxsize=8)
def find_cjk_font_family(kind: Kind = "serif") -> tuple[str, Path] | None:
    """(family name, font file) of the best installed Chinese font of ``kind``.

    ``kind`` is "serif" (宋体), "sans" (黑体), "fangsong" (仿宋) or "kai" (楷体);
    when none of that kind is installed the nearest kind is used, then any
    font that fontconfig says covers Chinese.  None when there is none at all.
    """
    for k in FALLBACK.get(kind, ("serif", "sans")):
        hit = _find_exact(k)
        if hit:
            return hit
    fonts = _fc_fonts()
    return fonts[0] if fonts else None


def find_cjk_font(kind: Kind = "serif") -> Path | None:
    """The file of the best installed Chinese font of ``kind`` (see ``find_cjk_font_family``)."""
    hit = find_cjk_font_family(kind)
    return hit[1] if hit else None


def css_stack(kind: Kind) -> str:
    """A CSS font-family list that works on Windows and Linux for ``kind``."""
    names = list(PREFERRED[kind])
    for k in FALLBACK[kind][1:]:
        names += [n for n in PREFERRED[k] if n not in names]
    generic = "sans-serif" if kind == "sans" else "serif"
    return ", ".join(f'"{n}"' for n in names) + f", {generic}"
