; Inno Setup script: a per-user installer (no administrator rights needed at a service-hall PC).
;   iscc /Dversion=0.1.0 packaging\complaint-desk.iss      (after the PyInstaller build)
; The AppId never changes, so a new version upgrades the old one in place. User data lives in
; %LOCALAPPDATA%\ComplaintDesk and is never touched by install, upgrade or uninstall.
#ifndef version
  #define version "0.1.0"
#endif

[Setup]
AppId={{6F2B8C1E-4D7A-4B8E-9C3F-2A5D7E9B1C40}
AppName=投诉受理台 Complaint Desk
AppVersion={#version}
AppPublisher=Complaint Desk
DefaultDirName={autopf}\ComplaintDesk
DefaultGroupName=投诉受理台
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=ComplaintDesk-{#version}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\resources\icons\complaint-desk.ico
UninstallDisplayIcon={app}\ComplaintDesk.exe
; The "Verify with Complaint Desk" entry below changes Explorer's menus: tell it.
ChangesAssociations=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\dist\ComplaintDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\投诉受理台"; Filename: "{app}\ComplaintDesk.exe"; IconFilename: "{app}\ComplaintDesk.exe"
Name: "{autodesktop}\投诉受理台"; Filename: "{app}\ComplaintDesk.exe"; IconFilename: "{app}\ComplaintDesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Registry]
; "Verify with Complaint Desk" on any PDF, for this user only (HKCU: no administrator rights).
; The desk already running takes the file (one instance per user) and opens its verifier.
Root: HKCU; Subkey: "Software\Classes\SystemFileAssociations\.pdf\shell\ComplaintDesk.Verify"; ValueType: string; ValueName: ""; ValueData: "用投诉受理台验证 (Verify with Complaint Desk)"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\SystemFileAssociations\.pdf\shell\ComplaintDesk.Verify"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\ComplaintDesk.exe,0"
Root: HKCU; Subkey: "Software\Classes\SystemFileAssociations\.pdf\shell\ComplaintDesk.Verify\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ComplaintDesk.exe"" --verify ""%1"""

[Run]
Filename: "{app}\ComplaintDesk.exe"; Description: "{cm:LaunchProgram,投诉受理台}"; Flags: nowait postinstall skipifsilent
