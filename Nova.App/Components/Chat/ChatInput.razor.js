// Grows the box with its text (up to 8 lines) and sends on Enter; Shift+Enter breaks the line.
// Text longer than hardLimit is kept in the browser and not sent to the server at all, so a huge
// paste can neither break the circuit nor be lost.
export function init(textArea, hardLimit) {
  const composer = textArea.closest('.nova-composer');
  const tooLong = () => textArea.value.length > hardLimit;
  const resize = () => {
    textArea.style.height = 'auto';
    const lineHeight = parseFloat(getComputedStyle(textArea).lineHeight) || 24;
    textArea.style.height = Math.min(textArea.scrollHeight, lineHeight * 8 + 16) + 'px';
  };
  textArea.addEventListener('input', (e) => {
    resize();
    composer.classList.toggle('nova-over-hard-limit', tooLong());
    if (tooLong()) {
      e.stopPropagation();
    }
  });
  textArea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!tooLong()) {
        textArea.form.requestSubmit();
      }
    }
  });
  resize();
  textArea.focus();
}
