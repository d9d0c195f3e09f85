; Inno Setup 6 script: the Windows installer for dvdesk.
;
; Built by installer\build-windows.ps1 (installer/README.md), from the repository
; root, AFTER PyInstaller has made dist\dvdesk\:
;
;   iscc installer\dvdesk.iss                 -> dist\installer\dvdesk-<version>-cai-dat.exe
;
; The version is not written here: it is read from the version resource of the
; built dist\dvdesk\dvdesk.exe, which dvdesk.spec makes from pyproject.toml. So
; setup.exe, the programs and `dvdesk --version` always agree.
;
; Signing: build-windows.ps1 passes /DSign and /Sdvdesksign=... (signtool) when
; DVDESK_SIGN_CERT is set; then setup.exe and the uninstaller are signed too.
;
; Per user, no administrator rights by default: the program goes to
; %LOCALAPPDATA%\Programs\dvdesk. The data file and its backups live apart, in
; %LOCALAPPDATA%\dvdesk (platformdirs' user data folder); the uninstaller never
; deletes that folder and says so.
;
; Relative paths below are resolved from this script's folder (installer\).
; Saved as UTF-8 with BOM so Inno Setup 6 reads the Vietnamese text as Unicode.

#define AppName "dvdesk"
#define AppExe "dvdesk.exe"
#define CliExe "dvdesk-cli.exe"
; The built window program; the version is read from it.
#define BundleExe AddBackslash(SourcePath) + "..\dist\dvdesk\dvdesk.exe"
#if !FileExists(BundleExe)
  #error Build the bundle first (installer\build-windows.ps1): dist\dvdesk\dvdesk.exe is missing
#endif
#define AppVersion GetStringFileInfo(BundleExe, "ProductVersion")
#define NumericVersion GetVersionNumbersString(BundleExe)
#if AppVersion == ""
  #error dist\dvdesk\dvdesk.exe has no version resource: rebuild it with installer\dvdesk.spec
#endif

[Setup]
; Never change AppId: Windows uses it to find the installed copy on upgrade and uninstall.
AppId={{6B0E3C1A-4F5D-4B8E-9C47-2D6A9E1F0D35}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
; The file properties of setup.exe (otherwise 0.0.0.0).
VersionInfoVersion={#NumericVersion}
VersionInfoProductVersion={#NumericVersion}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoCompany=dvdesk
VersionInfoDescription=Cài đặt {#AppName} {#AppVersion}
AppPublisher=dvdesk
AppComments=Sổ theo dõi đoàn viên và phát triển đảng viên cho xã, phường
; Per-user install by default; the dialog lets someone with admin rights install for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; {autopf} is %LOCALAPPDATA%\Programs per user, Program Files for all users.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
; PySide6 6.x wheels are 64-bit only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\resources\icons\dvdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-cai-dat
Compression=lzma2/max
SolidCompression=yes
; Close a running dvdesk before replacing its files (the data file stays untouched).
CloseApplications=yes
RestartApplications=no
#ifdef Sign
; "dvdesksign" is defined on the iscc command line by build-windows.ps1 (signtool).
SignTool=dvdesksign
SignedUninstaller=yes
#endif

[Languages]
; Inno Setup 6 installs only its official translations; Vietnamese is unofficial, so
; dvdesk ships its own (Vietnamese.isl beside this script). Default.isl comes first so
; a message missing from it falls back to English instead of failing the build.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle: dvdesk.exe, dvdesk-cli.exe, _internal\ (with resources\).
Source: "..\dist\dvdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep libraries a newer bundle no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; Programs start in the user's Documents folder, never in the program folder: a file
; saved under a relative name must not land among the program files. {userdocs}
; is right for a per-user install (it follows a Documents folder moved to OneDrive);
; an install for all users cannot know each user's, so it uses %USERPROFILE%\Documents,
; which the shortcut expands for whoever starts it.
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Sổ theo dõi đoàn viên và phát triển đảng viên"; Check: not IsAdminInstallMode
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "%USERPROFILE%\Documents"; Comment: "Sổ theo dõi đoàn viên và phát triển đảng viên"; Check: IsAdminInstallMode
Name: "{group}\{cm:SelfTestShortcut,{#AppName}}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" --self-test --gui"""; WorkingDir: "{userdocs}"; IconFilename: "{app}\{#AppExe}"; Check: not IsAdminInstallMode
Name: "{group}\{cm:SelfTestShortcut,{#AppName}}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" --self-test --gui"""; WorkingDir: "%USERPROFILE%\Documents"; IconFilename: "{app}\{#AppExe}"; Check: IsAdminInstallMode
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon; Check: not IsAdminInstallMode
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "%USERPROFILE%\Documents"; Tasks: desktopicon; Check: IsAdminInstallMode

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only the files it installed.
; The user's data folder is never listed here.

[Code]
// The data folder dvdesk uses: platformdirs.user_data_dir("dvdesk", appauthor=False).
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

// Refuse to install the program into the data folder: the data file must not
// share a folder with program files that upgrades replace and uninstall removes.
function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = wpSelectDir) and
     (CompareText(RemoveBackslashUnlessRoot(WizardDirValue()), DataDir()) = 0) then
  begin
    MsgBox(FmtMessage(CustomMessage('AppDirIsDataDir'), [DataDir()]), mbError, MB_OK);
    Result := False;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
