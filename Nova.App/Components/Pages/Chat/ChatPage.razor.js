// Keeps the newest text in view while an answer streams, unless the user has scrolled up to read;
// scrolling back to the bottom resumes following. Also copies code blocks ([data-copy] buttons
// inside .nova-code, emitted by Nova's markdown renderer) and opens cited sources (button.nova-cite
// with data-source, emitted by the renderer inside an answer's [data-message-id]) through the page.
export function follow(scroller, page) {
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

  const click = (e) => {
    const citation = e.target.closest('button.nova-cite[data-source]');
    const message = citation?.closest('[data-message-id]');
    if (message) {
      page.invokeMethodAsync('OpenSource', message.dataset.messageId, Number(citation.dataset.source)).catch(() => {});
      return;
    }
    copy(e);
  };
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
  scroller.addEventListener('click', click);
  return {
    toBottom: () => { pinned = true; scroller.scrollTop = scroller.scrollHeight; },
    dispose: () => { observer.disconnect(); scroller.removeEventListener('click', click); },
  };
}
