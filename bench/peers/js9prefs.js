// JS9 preferences for the bench page: no helper (no server side), everything in the page.
var JS9Prefs = {
  globalOpts: { helperType: 'none', alerts: false, debug: 0, loadProxy: false, waitType: 'none' },
  imageOpts: { colormap: 'grey', scale: 'linear' },
};
