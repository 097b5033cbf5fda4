; Inno Setup 6 script: the Windows installer for Consult.
;
;   uv run python packaging/build.py           builds the bundle, dist\Consult
;   iscc packaging\windows\consult.iss         writes dist\Consult-<version>-setup.exe
;
; A per-machine install into Program Files (it asks for administrator rights), a Start
; menu entry for Consult.exe and an uninstaller. consult-cli.exe, in the same folder, is
; the same program with a console, for the administrator's commands
; ("C:\Program Files\Consult\consult-cli.exe" db upgrade, backup, verify, ...).
;
; The clinic's data is never in the program folder. Each Windows user's database,
; settings, audit key (audit-chain.key), logs and backups are in %LOCALAPPDATA%\Consult
; (platformdirs' user data directory), or under the --home / CONSULT_HOME directory.
; Upgrading or uninstalling removes the program only and leaves all of that in place.
;
; The version is the bundle's: ProductVersion of Consult.exe, which consult.spec sets
; from the package. iscc /DAppVersion=... overrides it.

#define AppName "Consult"
#define Root AddBackslash(SourcePath) + "..\.."
#define BundleDir Root + "\dist\Consult"
#define MainExe BundleDir + "\Consult.exe"

#if !FileExists(MainExe)
  #error "No bundle in dist\Consult: run `uv run python packaging/build.py` first"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(MainExe, "ProductVersion")
#endif

[Setup]
; AppId identifies Consult to Windows across versions: never change it.
AppId={{509A54B1-FA7F-4A66-B506-D99247EBE4C6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#GetVersionNumbersString(MainExe)}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
CloseApplications=yes
OutputDir={#Root}\dist
OutputBaseFilename=Consult-{#AppVersion}-setup
SetupIconFile={#Root}\resources\icons\consult.ico
UninstallDisplayIcon={app}\Consult.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program's libraries as a whole, so nothing an older build
; shipped lingers beside the new one. (The program folder holds no data.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\Consult.exe"; Comment: "Consultation, screening and informed consent"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Consult.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Consult.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[UninstallDelete]
Type: dirifempty; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('Consult has been removed. The clinic''s data was not touched: each user''s ' +
      'database, settings, audit key and backups are still in their ' +
      '%LOCALAPPDATA%\Consult folder, and a reinstalled Consult opens them again.',
      mbInformation, MB_OK);
end;
