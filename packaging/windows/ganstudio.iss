; NOT YET BUILT (no Windows here): written from the Inno Setup 6 documentation.
; Installer of the frozen app that packaging\ganstudio.spec builds on Windows
; (dist\GANStudio\GANStudio.exe, windowed, and dist\GANStudio\ganstudio-cli.exe, console).
;   iscc /DAppVersion=0.1.0 packaging\windows\ganstudio.iss
; writes dist\GANStudio-0.1.0-windows-x64-setup.exe. Installs per user by default (no
; administrator rights), or for all users when chosen in the first dialog.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C2B7E-3A54-4C1D-9E0B-5D8A2F47C913}
AppName=GAN Studio
AppVersion={#AppVersion}
AppPublisher=The GAN Studio developers
DefaultDirName={autopf}\GAN Studio
DefaultGroupName=GAN Studio
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=GANStudio-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\ganstudio.ico
UninstallDisplayIcon={app}\GANStudio.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\GANStudio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\GAN Studio"; Filename: "{app}\GANStudio.exe"
Name: "{autodesktop}\GAN Studio"; Filename: "{app}\GANStudio.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\GANStudio.exe"; Description: "{cm:LaunchProgram,GAN Studio}"; Flags: nowait postinstall skipifsilent
