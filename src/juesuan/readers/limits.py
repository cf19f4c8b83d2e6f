"""The input limits every reader shares: a limit from its environment variable, a bounded read.

Each limit has a default no real file reaches and a ``JUESUAN_MAX_*`` variable
to raise it; the message that reports it names the variable.
"""

from __future__ import annotations

import os
import stat
import zipfile
from decimal import Decimal
from pathlib import Path

from juesuan.model.findings import Location
from juesuan.readers.errors import InputError

MAX_AMOUNT = Decimal(10) ** 15  # no amount, count or year of a dataset comes near it (YAML and workbook)


def env_limit(name: str, default: int) -> int:
    """A limit from its environment variable (a positive whole number), else its default."""
    try:
        value = int(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


def raise_hint(variable: str) -> str:
    return f"（可用环境变量 {variable} 调整）"


def read_bounded(path: Path, max_bytes: int, variable: str, what: str = "文件") -> bytes:
    """The bytes of an ordinary file of at most ``max_bytes``, checked before reading (devices, pipes refused)."""
    file = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("不是普通文件（设备、管道或文件夹），不读取", Location(file=file))
        if info.st_size > max_bytes:
            raise InputError(f"{what}过大（{info.st_size // 2**20} MB），超过 {max_bytes // 2**20} MB 的上限"
                             + raise_hint(variable), Location(file=file))
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # bounded: the file may grow after the check
    except FileNotFoundError:
        raise InputError("文件不存在", Location(file=file)) from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", Location(file=file)) from None
    if len(raw) > max_bytes:
        raise InputError(f"{what}过大，超过 {max_bytes // 2**20} MB 的上限" + raise_hint(variable),
                         Location(file=file))
    return raw


MAX_ZIP_MEMBER = env_limit("JUESUAN_MAX_ZIP_MEMBER_BYTES", 256 * 1024 * 1024)  # one member, uncompressed
MAX_ZIP_TOTAL = env_limit("JUESUAN_MAX_ZIP_BYTES", 1024 * 1024 * 1024)  # all members, uncompressed
MAX_ZIP_MEMBERS = env_limit("JUESUAN_MAX_ZIP_MEMBERS", 10_000)
# an XML member is parsed whole by python-docx (lxml takes several times its size): real ones are a few MB
MAX_ZIP_XML = env_limit("JUESUAN_MAX_ZIP_XML_BYTES", 64 * 1024 * 1024)


def check_zip(zf: zipfile.ZipFile, file: str) -> None:
    """Refuse a zip (xlsx, docx) whose directory declares members too large to unpack (a zip bomb).

    Python's zipfile never unpacks more than a member's declared size, so the
    directory, read before anything is unpacked, bounds the work.
    """
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"压缩包内文件过多（{len(infos):,} 个，上限 {MAX_ZIP_MEMBERS:,}）"
                         + raise_hint("JUESUAN_MAX_ZIP_MEMBERS"), Location(file=file))
    total = 0
    for info in infos:
        if info.file_size > MAX_ZIP_MEMBER:
            raise InputError(f"压缩包内的“{info.filename}”解压后 {info.file_size // 2**20:,} MB，超过每个文件 "
                             f"{MAX_ZIP_MEMBER // 2**20} MB 的上限（可能是压缩炸弹）"
                             + raise_hint("JUESUAN_MAX_ZIP_MEMBER_BYTES"), Location(file=file))
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_ZIP_XML:
            raise InputError(f"压缩包内的“{info.filename}”解压后 {info.file_size // 2**20:,} MB，超过 XML 部分 "
                             f"{MAX_ZIP_XML // 2**20} MB 的上限（可能是压缩炸弹）"
                             + raise_hint("JUESUAN_MAX_ZIP_XML_BYTES"), Location(file=file))
        total += info.file_size
    if total > MAX_ZIP_TOTAL:
        raise InputError(f"压缩包解压后共 {total // 2**20:,} MB，超过 {MAX_ZIP_TOTAL // 2**20} MB 的上限（可能是压缩炸弹）"
                         + raise_hint("JUESUAN_MAX_ZIP_BYTES"), Location(file=file))
