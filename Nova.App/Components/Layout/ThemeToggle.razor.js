// Remembers the theme for a year; read on the server so the first paint already has it.
export function rememberTheme(cookieName, theme) {
  document.cookie = `${cookieName}=${encodeURIComponent(theme)}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.dataset.theme = theme;
}
