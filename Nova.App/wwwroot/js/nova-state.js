/**
 * nova-state.js — browser-side state shared by the chat and the NovaScene background.
 *
 * The chat runs on the server and the scene runs in WebAssembly; they meet here, in the browser,
 * so that the scene can follow the chat without a round trip through the server. Import it from
 * .NET with
 *     var state = await JS.InvokeAsync<IJSObjectReference>("import", "./js/nova-state.js");
 * Every importer gets the same module instance (same URL), hence the same state.
 *
 * API
 *   setChatState(state)      state: 'idle' | 'thinking' | 'streaming' | 'error'.
 *                            'thinking' = sent, waiting for the first token; 'streaming' = tokens
 *                            arriving; 'error' = the turn failed. Throws RangeError on anything else.
 *   getChatState()           the current chat state.
 *   reportTokens(count)      count: tokens (or chunks) received since the last report, > 0. Feeds the
 *                            token rate that the scene pulses with; moves 'thinking' to 'streaming'.
 *                            Report at most a few times a second (batching is fine). The chat does not
 *                            call it: once something subscribes, text written into an answer that is
 *                            streaming (.nova-message-assistant[data-status="streaming"]) is counted here,
 *                            about four characters a token, so no update costs a round trip to the server.
 *   getTokenRate()           tokens per second over the last two seconds.
 *   setTheme(theme)          theme: 'light' | 'dark', or null to follow the page. Written to
 *                            <html data-theme="…">, which is where the theme lives: setting that
 *                            attribute directly works too.
 *   getTheme()               the resolved theme, 'light' or 'dark': <html data-theme> if set, else
 *                            the brightness of MudBlazor's --mud-palette-background (what the page
 *                            really shows), else prefers-color-scheme.
 *   setEffectsEnabled(bool)  turns the animated background on or off; remembered in localStorage
 *                            under 'nova.effects' ("off" when disabled).
 *   getEffectsEnabled()      false when the user turned effects off.
 *   getSnapshot()            { chatState, theme, effectsEnabled } (a new object).
 *   subscribe(listener)      listener(snapshot) is called after any change of chat state, theme or
 *                            effects (not per token report; poll getTokenRate() for that).
 *                            Returns a function that unsubscribes.
 */

const chatStates = ['idle', 'thinking', 'streaming', 'error'];
const themes = ['light', 'dark'];
const effectsKey = 'nova.effects';
const rateWindowMs = 2000;
const streamingAnswer = '.nova-message-assistant[data-status="streaming"]';
const charactersPerToken = 4;

let chatState = 'idle';
const tokenReports = [];
const listeners = new Set();
let lastSnapshot = null;
let watchingPage = false;
let sessionEffects = null;

export function setChatState(state) {
    if (!chatStates.includes(state)) {
        throw new RangeError(`Unknown chat state '${state}'; expected one of ${chatStates.join(', ')}.`);
    }
    if (state !== 'streaming') {
        tokenReports.length = 0;
    }
    chatState = state;
    notify();
}

export function getChatState() {
    return chatState;
}

export function reportTokens(count) {
    if (typeof count !== 'number' || !Number.isFinite(count) || count <= 0) {
        throw new RangeError(`Token count must be a positive number, got '${count}'.`);
    }
    const now = performance.now();
    tokenReports.push({ time: now, count });
    prune(now);
    if (chatState === 'thinking') {
        chatState = 'streaming';
        notify();
    }
}

export function getTokenRate() {
    const now = performance.now();
    prune(now);
    let total = 0;
    for (const report of tokenReports) {
        total += report.count;
    }
    return total / (rateWindowMs / 1000);
}

export function setTheme(theme) {
    if (theme !== null && theme !== undefined && !themes.includes(theme)) {
        throw new RangeError(`Unknown theme '${theme}'; expected 'light', 'dark' or null.`);
    }
    const root = document.documentElement;
    if (theme) {
        root.dataset.theme = theme;
    } else {
        delete root.dataset.theme;
    }
    notify();
}

export function getTheme() {
    const chosen = document.documentElement.dataset.theme;
    if (themes.includes(chosen)) {
        return chosen;
    }
    return mudBlazorTheme() ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

function mudBlazorTheme() {
    const background = getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim();
    const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/.exec(background);
    const hex = /^#([\da-f]{2})([\da-f]{2})([\da-f]{2})/i.exec(background);
    const [r, g, b] = rgb ? rgb.slice(1).map(Number) : hex ? hex.slice(1).map(part => parseInt(part, 16)) : [];
    if (r === undefined) {
        return null;
    }
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return luminance < 128 ? 'dark' : 'light';
}

export function setEffectsEnabled(enabled) {
    try {
        if (enabled) {
            localStorage.removeItem(effectsKey);
        } else {
            localStorage.setItem(effectsKey, 'off');
        }
    } catch {
        // Storage can be disabled (privacy mode); the choice then lasts for this page only.
    }
    sessionEffects = !!enabled;
    notify();
}

export function getEffectsEnabled() {
    try {
        return localStorage.getItem(effectsKey) !== 'off';
    } catch {
        return sessionEffects ?? true;
    }
}

export function getSnapshot() {
    return { chatState, theme: getTheme(), effectsEnabled: getEffectsEnabled() };
}

export function subscribe(listener) {
    if (typeof listener !== 'function') {
        throw new TypeError('subscribe expects a function.');
    }
    watchPage();
    listeners.add(listener);
    lastSnapshot ??= getSnapshot();
    return () => listeners.delete(listener);
}

function touchesThemeStyle(record) {
    const isThemeStyle = node => node?.nodeName === 'STYLE' && node.classList.contains('mud-theme-provider');
    return isThemeStyle(record.target) || isThemeStyle(record.target.parentNode)
        || [...record.addedNodes].some(isThemeStyle) || [...record.removedNodes].some(isThemeStyle);
}

function prune(now) {
    while (tokenReports.length > 0 && now - tokenReports[0].time > rateWindowMs) {
        tokenReports.shift();
    }
}

function notify() {
    const snapshot = getSnapshot();
    if (lastSnapshot
        && lastSnapshot.chatState === snapshot.chatState
        && lastSnapshot.theme === snapshot.theme
        && lastSnapshot.effectsEnabled === snapshot.effectsEnabled) {
        return;
    }
    lastSnapshot = snapshot;
    for (const listener of [...listeners]) {
        try {
            listener({ ...snapshot });
        } catch (error) {
            console.error('nova-state listener failed', error);
        }
    }
}

// The theme and the effects switch can change without a call to this module: the system theme,
// someone setting <html data-theme> directly, MudBlazor switching its palette, or another tab
// changing the stored setting.
function watchPage() {
    if (watchingPage) {
        return;
    }
    watchingPage = true;
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', notify);
    new MutationObserver(notify).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    // MudThemeProvider rewrites its <style class="mud-theme-provider"> when the palette changes.
    new MutationObserver(records => {
        if (records.some(touchesThemeStyle)) {
            notify();
        }
    }).observe(document, { subtree: true, childList: true, characterData: true });
    new MutationObserver(countStreamedText)
        .observe(document, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
    window.addEventListener('storage', event => {
        if (event.key === effectsKey || event.key === null) {
            notify();
        }
    });
}

// Blazor writes an answer's new text by growing a text node or adding nodes; either is counted once.
function countStreamedText(records) {
    let characters = 0;
    for (const record of records) {
        const element = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
        if (!element?.closest(streamingAnswer)) {
            continue;
        }
        if (record.type === 'characterData') {
            characters += Math.max(0, record.target.data.length - (record.oldValue?.length ?? 0));
        } else {
            for (const node of record.addedNodes) {
                characters += node.textContent?.length ?? 0;
            }
        }
    }
    if (characters > 0) {
        reportTokens(Math.max(1, Math.round(characters / charactersPerToken)));
    }
}
