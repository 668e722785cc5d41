// What the Linux packages need from the system. Shared by the electron-builder deb target (connected
// build machines) and build/deb/assembleDeb.mjs (dpkg-deb, offline), so both declare the same runtime.
// Alternatives name the t64 packages of Debian 13 / Ubuntu 24.04 beside their older names.
export const DEB_DEPENDS = [
  'libc6 (>= 2.28)',
  'libstdc++6',
  'libgcc-s1',
  'libgtk-3-0 | libgtk-3-0t64',
  'libnss3',
  'libxss1',
  'libxtst6',
  'libnotify4',
  'libatspi2.0-0 | libatspi2.0-0t64',
  'libuuid1',
  'libsecret-1-0',
  'libasound2 | libasound2t64',
  'libgbm1',
  'xdg-utils',
];

export const DEB_PACKAGE = 'lumen';
export const DEB_MAINTAINER = 'Lumen maintainers <lumen@lumen.invalid>';
/** Where the app folder is installed: /usr/lib/<package>, as Debian policy wants (not /opt). */
export const DEB_INSTALL_DIR = `/usr/lib/${DEB_PACKAGE}`;
/** Install-folder-relative files that must stay executable; every other file is 0644. */
export const DEB_EXECUTABLES = ['lumen', 'chrome-sandbox', 'chrome_crashpad_handler', 'resources/bin/lumen-cli'];
