@echo off
rem The `lumen` command of an installed copy (for example `lumen-cli doctor`): the bundled CLI run by the
rem packaged Electron as plain Node, so no separate Node installation is needed.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\lumen.exe" "%~dp0..\app.asar\out\main\cli.mjs" %*
