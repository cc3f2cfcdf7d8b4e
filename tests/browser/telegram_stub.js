// window.Telegram.WebApp as a Telegram client gives it to a Mini App, for the browser tests (an init script, run
// before the page's own scripts). CONFIG is replaced by the test: initData and the signed contact string are made
// with the test bot's token, so the server checks them as it would Telegram's. Every call is recorded in
// window.__tg so a test can read what the page asked of Telegram and press the native main button.
(() => {
  const CONFIG = __CONFIG__;
  const calls = [];
  const record = (name, ...args) => calls.push([name, ...args]);
  const button = (name) => {
    const state = { text: "", visible: false, enabled: true, progress: false, handlers: [] };
    return {
      state,
      get text() { return state.text; },
      get isVisible() { return state.visible; },
      get isActive() { return state.enabled; },
      setText(text) { record(name + ".setText", text); state.text = text; return this; },
      setParams(params) { record(name + ".setParams", params); if (params.text !== undefined) state.text = params.text; return this; },
      onClick(fn) { record(name + ".onClick"); state.handlers.push(fn); return this; },
      offClick(fn) { record(name + ".offClick"); state.handlers = state.handlers.filter((h) => h !== fn); return this; },
      show() { record(name + ".show"); state.visible = true; return this; },
      hide() { record(name + ".hide"); state.visible = false; return this; },
      enable() { record(name + ".enable"); state.enabled = true; return this; },
      disable() { record(name + ".disable"); state.enabled = false; return this; },
      showProgress() { record(name + ".showProgress"); state.progress = true; return this; },
      hideProgress() { record(name + ".hideProgress"); state.progress = false; return this; },
    };
  };
  const MainButton = button("MainButton");
  const BackButton = button("BackButton");
  const WebApp = {
    initData: CONFIG.initData,
    initDataUnsafe: CONFIG.initDataUnsafe,
    version: "8.0",
    platform: "android",
    colorScheme: CONFIG.colorScheme,
    themeParams: CONFIG.themeParams,
    isExpanded: true,
    MainButton,
    BackButton,
    HapticFeedback: {
      impactOccurred(style) { record("HapticFeedback.impactOccurred", style); return this; },
      notificationOccurred(type) { record("HapticFeedback.notificationOccurred", type); return this; },
      selectionChanged() { record("HapticFeedback.selectionChanged"); return this; },
    },
    ready() { record("ready"); },
    expand() { record("expand"); },
    close() { record("close"); },
    onEvent(name) { record("onEvent", name); },
    offEvent(name) { record("offEvent", name); },
    isVersionAtLeast(version) { return parseFloat(version) <= parseFloat(WebApp.version); },
    // Telegram's "allow the bot to message you" popup; the user allows (a test may wrap it to decline).
    requestWriteAccess(callback) {
      record("requestWriteAccess");
      setTimeout(() => callback(true), 0);
    },
    // Telegram asks the user, then hands the page the contact signed by Telegram as a raw query string.
    requestContact(callback) {
      record("requestContact");
      setTimeout(() => callback(true, { status: "sent", response: CONFIG.contact, responseUnsafe: CONFIG.contactUnsafe }), 0);
    },
  };
  window.Telegram = { WebApp };
  window.__tg = {
    calls,
    main: MainButton.state,
    back: BackButton.state,
    // What the user's finger on Telegram's own button does.
    pressMain() { if (!MainButton.state.visible || !MainButton.state.enabled) throw new Error("main button not usable"); MainButton.state.handlers.forEach((h) => h()); },
    pressBack() { if (!BackButton.state.visible) throw new Error("back button hidden"); BackButton.state.handlers.forEach((h) => h()); },
  };
  // The SDK writes the theme into CSS variables on <html>, as --tg-theme-<name with dashes>.
  const paint = () => {
    const root = document.documentElement;
    for (const [key, value] of Object.entries(CONFIG.themeParams)) root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
    root.style.setProperty("--tg-viewport-height", "740px");
  };
  if (document.documentElement) paint(); else document.addEventListener("readystatechange", paint, { once: true });
})();
