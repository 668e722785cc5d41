// Types for build/deb/debianPackage.mjs (plain ESM, loaded by electron-builder and the .deb assembler).
export declare const DEB_DEPENDS: readonly string[];
export declare const DEB_PACKAGE: string;
export declare const DEB_MAINTAINER: string;
export declare const DEB_INSTALL_DIR: string;
export declare const DEB_EXECUTABLES: readonly string[];
