// The browser's copy of the user's appearance, which has to be there before any circuit runs: the theme
// cookie (read while the server prerenders, so the first paint is right), <html data-theme> (read by
// the scene and the page), and the effects switch of nova-state.js (remembered in localStorage, read by
// the scene as it starts). The user's account holds the real preferences; PreferencesState writes them here.
import * as novaState from './nova-state.js';

const themes = ['system', 'light', 'dark'];

export function apply(cookieName, theme, effectsEnabled) {
  if (!themes.includes(theme)) {
    throw new RangeError(`Unknown theme '${theme}'; expected one of ${themes.join(', ')}.`);
  }
  document.cookie = `${cookieName}=${encodeURIComponent(theme)}; path=/; max-age=31536000; samesite=lax`;
  if (theme === 'system') {
    delete document.documentElement.dataset.theme;
  } else {
    document.documentElement.dataset.theme = theme;
  }
  if (novaState.getEffectsEnabled() !== effectsEnabled) {
    novaState.setEffectsEnabled(effectsEnabled);
  }
}

export function effectsEnabled() {
  return novaState.getEffectsEnabled();
}
