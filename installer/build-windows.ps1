<#
.SYNOPSIS
  Build dvdesk for Windows: bundle, self-test, installer (installer/README.md).

.DESCRIPTION
  On a clean Windows 10/11 x64 with Python 3.11 (python.org, 64-bit) and
  Inno Setup 6.3 or later installed, from any folder:

    powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1

  1. creates build\bundle-venv from requirements\bundle.lock (exact versions,
     every wheel checked against its hash; dvdesk itself is not installed);
  2. builds dist\dvdesk\ (dvdesk.exe, dvdesk-cli.exe) with installer\dvdesk.spec
     and checks that no build-machine path is left in it;
  3. signs both programs when DVDESK_SIGN_CERT is set, otherwise says the build
     is UNSIGNED;
  4. runs the bundled self-test: dvdesk-cli.exe --self-test --gui (window
     offscreen, data file in a Vietnamese-named folder, a printed page, a package);
  5. compiles installer\dvdesk.iss into dist\installer\dvdesk-<version>-cai-dat.exe
     (signed too when a certificate is given);
  6. with -TestInstall: installs it silently for the current user, runs the
     installed self-test, uninstalls, and checks the data folder was kept.

  Signing (optional):
    DVDESK_SIGN_CERT       a .pfx file, or the SHA-1 thumbprint of a certificate
                           in the current user's store (e.g. on a USB token)
    DVDESK_SIGN_PASSWORD   the .pfx password, if it has one
    DVDESK_TIMESTAMP_URL   RFC 3161 time-stamp server (default: DigiCert's)
    SIGNTOOL               signtool.exe, if it is not found in the Windows SDK

  Exit code 0 when everything passed; the first failure stops the build.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$SkipInstaller,
    [switch]$TestInstall
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Step([string]$text) { Write-Host "`n== $text" -ForegroundColor Cyan }

function Invoke-Checked {
    # Run a native program; a non-zero exit code stops the build.
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

function Find-Python {
    if ($Python) { return $Python }
    $launcher = Get-Command py.exe -ErrorAction SilentlyContinue
    if ($launcher) {
        $exe = & py.exe -3.11 -c "import sys; print(sys.executable)" 2>$null
        if ($LASTEXITCODE -eq 0 -and $exe) { return $exe.Trim() }
    }
    $python = Get-Command python.exe -ErrorAction SilentlyContinue
    if ($python) { return $python.Source }
    throw "Python 3.11 (64-bit) not found: install it from python.org, or pass -Python C:\path\python.exe"
}

function Find-SignTool {
    if ($env:SIGNTOOL) { return $env:SIGNTOOL }
    $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($found) { return $found.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $tool = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match "\\x64\\" } |
        Sort-Object { $_.VersionInfo.FileVersionRaw } -Descending |
        Select-Object -First 1
    if ($tool) { return $tool.FullName }
    throw "DVDESK_SIGN_CERT is set but signtool.exe was not found: install the Windows SDK or set SIGNTOOL"
}

function Find-Iscc {
    if ($env:ISCC) { return $env:ISCC }
    foreach ($folder in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, "$env:LOCALAPPDATA\Programs")) {
        if (-not $folder) { continue }
        $candidate = Join-Path $folder "Inno Setup 6\ISCC.exe"
        if (Test-Path $candidate) { return $candidate }
    }
    $found = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($found) { return $found.Source }
    throw "Inno Setup 6 (ISCC.exe) not found: install Inno Setup 6.3 or later, or set ISCC"
}

# The signtool arguments that pick the certificate, without the file names.
function Get-SignArguments {
    $cert = $env:DVDESK_SIGN_CERT
    $timestamp = if ($env:DVDESK_TIMESTAMP_URL) { $env:DVDESK_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $arguments = @("sign", "/fd", "sha256", "/tr", $timestamp, "/td", "sha256", "/d", "dvdesk")
    if ($cert -match "^[0-9A-Fa-f]{40}$") {
        $arguments += @("/sha1", $cert)
    } else {
        if (-not (Test-Path $cert)) { throw "DVDESK_SIGN_CERT: no certificate file at $cert" }
        $arguments += @("/f", (Resolve-Path $cert).Path)
        if ($env:DVDESK_SIGN_PASSWORD) { $arguments += @("/p", $env:DVDESK_SIGN_PASSWORD) }
    }
    return $arguments
}

$Signing = [bool]$env:DVDESK_SIGN_CERT
$Venv = Join-Path $Root "build\bundle-venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Bundle = Join-Path $Root "dist\dvdesk"
$Cli = Join-Path $Bundle "dvdesk-cli.exe"

Step "Python"
$BasePython = Find-Python
$info = & $BasePython -c "import struct, sys; print(sys.version_info[:2] == (3, 11), struct.calcsize('P') * 8, sys.version.split()[0])"
$ok, $bits, $pyVersion = $info -split " "
if ($ok -ne "True" -or $bits -ne "64") {
    throw "need 64-bit Python 3.11 (PySide6 has no 32-bit wheels); $BasePython is $pyVersion, $bits-bit"
}
Write-Host "$BasePython (Python $pyVersion, 64-bit)"

Step "venv from requirements\bundle.lock"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
Invoke-Checked $BasePython @("-m", "venv", $Venv)
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes", "-r", "requirements\bundle.lock")

Step "bundle (installer\dvdesk.spec)"
if (Test-Path $Bundle) { Remove-Item -Recurse -Force $Bundle }
Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", "dist", "--workpath", "build\pyinstaller", "installer\dvdesk.spec")
Invoke-Checked $VenvPython @("installer\check_bundle.py", $Bundle)
$Version = (& $VenvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
$exeVersion = (Get-Item (Join-Path $Bundle "dvdesk.exe")).VersionInfo.ProductVersion
if ($exeVersion -ne $Version) { throw "dvdesk.exe says version '$exeVersion', pyproject.toml '$Version'" }
$cliVersion = (& $Cli --version).Trim()
if ($cliVersion -ne "dvdesk $Version") { throw "dvdesk-cli.exe --version says '$cliVersion', expected 'dvdesk $Version'" }
Write-Host "dvdesk $Version"

Step "signing"
if ($Signing) {
    $signtool = Find-SignTool
    $signArguments = Get-SignArguments
    Invoke-Checked $signtool ($signArguments + @((Join-Path $Bundle "dvdesk.exe"), $Cli))
    Invoke-Checked $signtool @("verify", "/pa", (Join-Path $Bundle "dvdesk.exe"), $Cli)
} else {
    Write-Warning ("UNSIGNED build: DVDESK_SIGN_CERT is not set. SmartScreen will warn before " +
        "the installer runs and antivirus may quarantine dvdesk.exe (installer/README.md).")
}

Step "self-test (dvdesk-cli.exe --self-test --gui)"
Invoke-Checked $Cli @("--self-test", "--gui")

if (-not $SkipInstaller) {
    Step "installer (installer\dvdesk.iss)"
    $iscc = Find-Iscc
    $isccVersion = (Get-Item $iscc).VersionInfo.ProductVersion
    Write-Host "$iscc ($isccVersion)"
    if ([version]($isccVersion -replace "[^0-9.].*$", "") -lt [version]"6.3") {
        throw "Inno Setup $isccVersion is too old: dvdesk.iss needs 6.3 or later (x64compatible)"
    }
    $isccArguments = @("/Qp")
    if ($Signing) {
        # Inno Setup calls this for setup.exe and the uninstaller; $f is the quoted file name.
        $quoted = ($signArguments | ForEach-Object { if ($_ -match "\s") { "`$q$_`$q" } else { $_ } }) -join " "
        $isccArguments += @("/DSign", "/Sdvdesksign=`$q$signtool`$q $quoted `$f")
    }
    Invoke-Checked $iscc ($isccArguments + @("installer\dvdesk.iss"))
    $Setup = Join-Path $Root "dist\installer\dvdesk-$Version-cai-dat.exe"
    if (-not (Test-Path $Setup)) { throw "the installer was not written: $Setup" }
    if ($Signing) { Invoke-Checked $signtool @("verify", "/pa", $Setup) }
    $setupVersion = (Get-Item $Setup).VersionInfo.ProductVersion
    if ($setupVersion -ne $Version) { throw "setup.exe says version '$setupVersion', expected '$Version'" }
    Write-Host "installer: $Setup ($(if ($Signing) { 'signed' } else { 'UNSIGNED' }))"

    if ($TestInstall) {
        Step "install, self-test, uninstall (current user, silent)"
        $log = Join-Path $Root "dist\installer\install.log"
        $p = Start-Process -FilePath $Setup -Wait -PassThru -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/LOG=`"$log`"")
        if ($p.ExitCode -ne 0) { throw "the installer exited with $($p.ExitCode) (see $log)" }
        $installed = Join-Path $env:LOCALAPPDATA "Programs\dvdesk"
        Invoke-Checked (Join-Path $installed "dvdesk-cli.exe") @("--self-test", "--gui")
        $data = Join-Path $env:LOCALAPPDATA "dvdesk"
        New-Item -ItemType Directory -Force -Path $data | Out-Null
        $marker = Join-Path $data "build-windows-kept.txt"
        Set-Content -Path $marker -Value "the uninstaller must keep this folder"
        $p = Start-Process -FilePath (Join-Path $installed "unins000.exe") -Wait -PassThru -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART")
        if ($p.ExitCode -ne 0) { throw "the uninstaller exited with $($p.ExitCode)" }
        Start-Sleep -Seconds 2  # the uninstaller deletes itself from a copy that runs on briefly
        if (Test-Path (Join-Path $installed "dvdesk.exe")) { throw "uninstall left $installed\dvdesk.exe" }
        if (-not (Test-Path $marker)) { throw "uninstall deleted the data folder $data" }
        Remove-Item $marker
        Write-Host "installed, self-tested and uninstalled; the data folder was kept"
    }
}

Step "done"
Write-Host "dvdesk $Version built$(if ($Signing) { ' and signed' } else { ' (UNSIGNED)' })."
