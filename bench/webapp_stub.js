// Benchmark 8's stand-in for Telegram's SDK: window.Telegram.WebApp with initData signed by the benchmark for the
// bot's token (CONFIG is filled in by bench/browser.py), Telegram's light theme, and buttons that do nothing.
(() => {
  const CONFIG = __CONFIG__;
  const button = () => {
    const b = { text: "", isVisible: false, isActive: true };
    for (const name of ["setText", "setParams", "onClick", "offClick", "show", "hide", "enable", "disable",
      "showProgress", "hideProgress"]) b[name] = function () { return this; };
    return b;
  };
  const quiet = () => {};
  window.Telegram = { WebApp: {
    initData: CONFIG.initData, initDataUnsafe: CONFIG.initDataUnsafe, version: "8.0", platform: "android",
    colorScheme: "light", themeParams: CONFIG.themeParams, isExpanded: true,
    MainButton: button(), BackButton: button(),
    HapticFeedback: { impactOccurred: quiet, notificationOccurred: quiet, selectionChanged: quiet },
    ready: quiet, expand: quiet, close: quiet, onEvent: quiet, offEvent: quiet,
  } };
  const root = document.documentElement;
  if (root) for (const [k, v] of Object.entries(CONFIG.themeParams)) root.style.setProperty("--tg-theme-" + k.replace(/_/g, "-"), v);
})();
