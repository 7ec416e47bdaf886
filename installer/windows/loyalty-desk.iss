; Inno Setup script for Loyalty Desk on Windows.
; Build the one-folder bundle on Windows first with the same spec:
;   py -m PyInstaller --noconfirm installer\loyalty-desk.spec
; then compile this script with Inno Setup 6 (iscc installer\windows\loyalty-desk.iss /DAppVersion=0.1.0).
; It cannot be built or tested on the Linux machines this project is developed on.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B3C2E7A-3F57-4C1E-9E55-6C1B4D0C9A21}
AppName=Loyalty Desk
AppVersion={#AppVersion}
AppPublisher=Loyalty Desk
DefaultDirName={autopf}\Loyalty Desk
DefaultGroupName=Loyalty Desk
OutputBaseFilename=loyalty-desk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
PrivilegesRequiredOverridesAllowed=dialog
; The shop's data lives in the user's AppData (platformdirs), never in the program folder: uninstalling keeps it.

[Files]
Source: "..\..\dist\loyalty-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Loyalty Desk"; Filename: "{app}\loyalty-desk.exe"
Name: "{autodesktop}\Loyalty Desk"; Filename: "{app}\loyalty-desk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\loyalty-desk.exe"; Description: "Start Loyalty Desk"; Flags: nowait postinstall skipifsilent
