/**
 * Debian's Chromium as the browser tests launch it: one path and one set of flags for every browser
 * test, measured to work on this machine and in CI. Missing, a browser test fails and says so.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
