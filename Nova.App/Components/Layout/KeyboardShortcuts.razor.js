// Global keyboard shortcuts. The list comes from .NET (KeyboardShortcut.All), so the keys handled
// here and the keys shown in the help dialog cannot drift apart.
const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function dialogOpen() {
    return document.querySelector('.mud-dialog-container') !== null;
}

export function register(shortcuts, help) {
    const onKeyDown = event => {
        if (event.defaultPrevented || event.isComposing || event.altKey) {
            return;
        }
        const primary = isMac ? event.metaKey : event.ctrlKey;
        const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
        const shortcut = shortcuts.find(s => s.key === key && s.primary === primary && s.shift === event.shiftKey);
        // While a dialog is open the page behind it is not for keys: Esc closes the dialog, and a shortcut
        // would act on the page, or open a second dialog over the first.
        if (!shortcut || dialogOpen() || (!shortcut.primary && !shortcut.shift && typing(event.target) && key !== 'Escape')) {
            return;
        }
        if (shortcut.action === 'Help') {
            event.preventDefault();
            help.invokeMethodAsync('ShowHelpAsync');
            return;
        }
        const element = document.querySelector(`[data-testid="${shortcut.target}"]`);
        if (!element) {
            return;
        }
        event.preventDefault();
        if (shortcut.action === 'Focus') {
            element.focus();
        } else {
            element.click();
        }
    };
    document.addEventListener('keydown', onKeyDown);
    return { dispose: () => document.removeEventListener('keydown', onKeyDown) };
}
