# Set up juesuan on Windows (PowerShell), idempotently:
#  - checks Python 3.11 or later (from python.org: https://www.python.org/downloads/windows/ ,
#    tick "Add python.exe to PATH" in its installer);
#  - a virtual environment in .venv with juesuan and everything build, audit and check need;
#  - checks that Windows' Chinese fonts (宋体, 黑体, 仿宋 …) are there.
# Usage, from the repository folder:
#   powershell -ExecutionPolicy Bypass -File scripts\setup.ps1            # for use
#   powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 -Extras all # also store and tests
# Offline machines: copy the wheels (pip download juesuan -d wheels on a connected machine) and
#   scripts\setup.ps1 -Wheels D:\wheels
param(
    [string]$Extras = "",
    [string]$Wheels = ""
)
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent (Split-Path -Parent $MyInvocation.MyCommand.Path)
Set-Location $here

function Find-Python {
    foreach ($line in @("py -3", "python", "python3")) {
        $cmd = $line.Split(" ")
        $exe = $cmd[0]
        if (Get-Command $exe -ErrorAction SilentlyContinue) {
            $pa = @()
            if ($cmd.Length -gt 1) { $pa = $cmd[1..($cmd.Length - 1)] }
            $ver = & $exe @pa -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
            if ($LASTEXITCODE -eq 0 -and $ver) {
                $parts = $ver.Trim().Split(".")
                if ([int]$parts[0] -eq 3 -and [int]$parts[1] -ge 11) { return ,$cmd }
            }
        }
    }
    return $null
}

$python = Find-Python
if (-not $python) {
    Write-Host "未找到 Python 3.11 或更新版本。请从 https://www.python.org/downloads/windows/ 下载安装，" -ForegroundColor Red
    Write-Host "安装时勾选“Add python.exe to PATH”，然后重新运行本脚本。" -ForegroundColor Red
    exit 2
}

$venvPython = Join-Path $here ".venv\Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    Write-Host "创建虚拟环境 .venv …"
    $exe = $python[0]
    $pyargs = @()
    if ($python.Length -gt 1) { $pyargs = $python[1..($python.Length - 1)] }
    & $exe @pyargs -m venv .venv
    if ($LASTEXITCODE -ne 0) { Write-Host "创建虚拟环境失败。" -ForegroundColor Red; exit 2 }
}

$target = "."
if ($Extras) { $target = ".[$Extras]" }
Write-Host "安装 juesuan 及其依赖到 .venv …"
if ($Wheels) {
    & $venvPython -m pip install -q --no-index --find-links $Wheels $target
} else {
    & $venvPython -m pip install -q --upgrade pip | Out-Null
    & $venvPython -m pip install -q $target
}
if ($LASTEXITCODE -ne 0) { Write-Host "安装依赖失败：请检查网络或 -Wheels 文件夹。" -ForegroundColor Red; exit 2 }

# the Chinese fonts juesuan looks for (render/fonts.py): system folder and the user's own
$fontDirs = @((Join-Path $env:WINDIR "Fonts"))
if ($env:LOCALAPPDATA) { $fontDirs += (Join-Path $env:LOCALAPPDATA "Microsoft\Windows\Fonts") }
$found = @()
foreach ($name in @("simsun.ttc", "simhei.ttf", "simfang.ttf", "simkai.ttf", "msyh.ttc", "FANGSONG_GB2312.TTF")) {
    foreach ($d in $fontDirs) { if (Test-Path (Join-Path $d $name)) { $found += $name; break } }
}
if ($found.Count -eq 0) {
    Write-Host "提示：未找到中文字体（宋体 simsun.ttc、黑体 simhei.ttf、仿宋 simfang.ttf）。请在“设置 → 字体”中安装。" -ForegroundColor Yellow
} else {
    Write-Host "找到中文字体：$($found -join '、')"
}

& $venvPython -m juesuan --version
Write-Host ""
Write-Host "完成。使用前先激活虚拟环境：  .venv\Scripts\Activate.ps1"
Write-Host "然后例如：                    juesuan build examples\putuo-czj-2024 -o 输出\普陀"
