"""Uploaded files: size limit, type sniffing, zip-bomb and XXE refusal, content-addressed storage.

An upload is read in chunks and refused past ``max_upload()`` bytes; its type is sniffed
from its bytes (``%PDF-``, a zip with ``[Content_Types].xml``, UTF-8 text) and
must agree with its name's suffix; a workbook or Word file whose parts would
unpack to more than ``MAX_UNPACKED`` bytes, or at a ratio above ``MAX_RATIO``,
or that declares a DTD or entity, is refused before any reader sees it.  The
file is kept under the upload folder in a folder named by its SHA-256, under its
own name stripped to letters, digits and a few signs: no name the user gives
ever reaches outside that folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Rejected", "Saved", "max_upload", "save_bytes", "save_upload"]

def max_upload() -> int:
    """Bytes an upload may have: ``JUESUAN_WEB_MAX_UPLOAD``, else 50 MB."""
    return int(os.environ.get("JUESUAN_WEB_MAX_UPLOAD") or 50 * 1024 * 1024)


MAX_UNPACKED = 300 * 1024 * 1024
MAX_RATIO = 200
DATASET_KINDS = (".yaml", ".yml", ".json", ".xlsx")
DOCUMENT_KINDS = (".pdf", ".docx", ".txt", ".md")


class Rejected(Exception):
    """The upload is refused; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Saved:
    path: Path
    name: str  # the name the user gave (for messages only)
    sha256: str


def _sniff_zip(data: bytes, name: str) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise Rejected(f"{name}：文件已损坏，不是有效的 Office 文件") from None
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(data), 1):
        raise Rejected(f"{name}：解压后过大（{unpacked // 1024 // 1024} MB），疑似压缩炸弹，已拒绝")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise Rejected(f"{name}：压缩包不是 Office 文件（缺少 [Content_Types].xml）")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                head = fh.read(min(info.file_size, 4 * 1024 * 1024))
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Rejected(f"{name}：文件中的 {info.filename} 声明了 DTD 或实体（可能的 XXE 攻击），已拒绝")
    if any(n.startswith("xl/") for n in names):
        return ".xlsx"
    if any(n.startswith("word/") for n in names):
        return ".docx"
    raise Rejected(f"{name}：既不是 Excel 工作簿也不是 Word 文档")


def sniff(data: bytes, name: str) -> str:
    """The file's real type as a suffix, from its bytes."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name)
    if b"\x00" in data[:65536]:
        raise Rejected(f"{name}：无法识别的二进制文件")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected(f"{name}：文本文件不是 UTF-8 编码") from None
    return ".text"


async def read_limited(upload, max_bytes: int | None = None) -> bytes:  # noqa: ANN001 - UploadFile
    max_bytes = max_bytes or max_upload()
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await upload.read(1024 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise Rejected(f"{upload.filename or '上传的文件'}：超过 {max_bytes // 1024 // 1024} MB 的上传上限")
        chunks.append(chunk)
    return b"".join(chunks)


def save_bytes(data: bytes, name: str, folder: Path, allowed: tuple[str, ...]) -> Saved:
    """Check ``data`` and keep it in ``folder`` as ``<sha256><suffix>``."""
    name = Path((name or "未命名").replace("\\", "/")).name[:200] or "未命名"
    if not data:
        raise Rejected(f"{name}：文件是空的")
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise Rejected(f"{name}：不支持的文件类型（可上传 {'、'.join(allowed)}）")
    real = sniff(data, name)
    if real != suffix and not (real == ".text" and suffix in (".yaml", ".yml", ".json", ".txt", ".md")):
        raise Rejected(f"{name}：文件内容与扩展名 {suffix} 不符")
    digest = hashlib.sha256(data).hexdigest()
    stem = "".join(c for c in Path(name).stem if c.isalnum() or c in "-_（）()·、 ").strip()[:80] or "文件"
    path = folder / digest[:24] / f"{stem}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        from juesuan.cli.common import write_atomic

        write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
    return Saved(path, name, digest)


async def save_upload(upload, folder: Path, allowed: tuple[str, ...]) -> Saved:  # noqa: ANN001 - UploadFile
    return save_bytes(await read_limited(upload), upload.filename or "", folder, allowed)
