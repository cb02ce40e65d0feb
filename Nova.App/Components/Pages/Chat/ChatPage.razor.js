// Keeps the newest text in view while an answer streams, unless the user has scrolled up to read;
// scrolling back to the bottom resumes following. Also copies code blocks ([data-copy] buttons
// inside .nova-code, emitted by Nova's markdown renderer).
export function follow(scroller) {
  let pinned = true;
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  scroller.addEventListener('scroll', () => { pinned = nearBottom(); }, { passive: true });
  const observer = new MutationObserver(() => {
    if (pinned) {
      scroller.scrollTop = scroller.scrollHeight;
    }
  });
  observer.observe(scroller, { childList: true, subtree: true, characterData: true });
  scroller.scrollTop = scroller.scrollHeight;

  const copy = async (e) => {
    const button = e.target.closest('[data-copy]');
    const code = button?.closest('.nova-code')?.querySelector('code');
    if (!code) {
      return;
    }
    try {
      await navigator.clipboard.writeText(code.textContent);
      button.textContent = 'Copied';
      setTimeout(() => { button.textContent = 'Copy'; }, 1500);
    } catch {
      button.textContent = 'Copy failed';
    }
  };
  scroller.addEventListener('click', copy);
  return {
    toBottom: () => { pinned = true; scroller.scrollTop = scroller.scrollHeight; },
    dispose: () => { observer.disconnect(); scroller.removeEventListener('click', copy); },
  };
}
