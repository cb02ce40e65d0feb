// The chat composer's keys, from the moment the page loads. Enter sends and Shift+Enter breaks the line; when the
// user turned Enter-to-send off (the box says data-enter-sends="false"), Enter breaks the line instead. Ctrl+Enter
// (⌘+Enter on a Mac) sends either way. The box grows with its text (up to 8 lines). Listening on the window rather
// than on each box means no key is missed while a page's own scripts are still loading after a navigation.
// Text longer than the box's data-hard-limit stays in the browser: its input events stop here, before Blazor
// sees them, so a huge paste can neither break the circuit nor be lost; and the form is not submitted, since the
// server still holds the shorter text typed before and would send that, then clear the box.
// The field that edits a sent question has the same guard (data-hard-limit without data-composer): its input and
// change events stop past the limit, and its send button (data-sends) does nothing while it is over.
const isComposer = (target) => target instanceof HTMLTextAreaElement && target.hasAttribute('data-composer');
const isGuarded = (target) => target instanceof HTMLTextAreaElement && target.hasAttribute('data-hard-limit');
const tooLong = (box) => box.value.length > Number(box.dataset.hardLimit);
const scopeOf = (box) => box.closest('.nova-composer, [data-hard-limit-scope]');
// Before the circuit runs, a submit would be a plain form post that reloads the page and drops the draft.
const interactive = () => document.querySelector('.nova-layout[data-interactive="true"]') !== null;

function resize(box) {
  box.style.height = 'auto';
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 24;
  box.style.height = Math.min(box.scrollHeight, lineHeight * 8 + 16) + 'px';
}

const guard = (e) => {
  if (!isGuarded(e.target)) return;
  if (isComposer(e.target)) resize(e.target);
  scopeOf(e.target)?.classList.toggle('nova-over-hard-limit', tooLong(e.target));
  if (tooLong(e.target)) {
    e.stopPropagation();
  }
};
window.addEventListener('input', guard, true);
window.addEventListener('change', guard, true);

window.addEventListener('click', (e) => {
  if (e.target instanceof Element && e.target.closest('[data-sends]')?.closest('.nova-over-hard-limit')) {
    e.preventDefault();
    e.stopPropagation();
  }
}, true);

// Text put in the box by the server (editing an earlier message) arrives without an input event.
window.addEventListener('focusin', (e) => {
  if (isComposer(e.target)) resize(e.target);
}, true);

const sends = (e) => e.ctrlKey || e.metaKey || e.target.dataset.enterSends !== 'false';

window.addEventListener('keydown', (e) => {
  if (!isComposer(e.target) || e.key !== 'Enter' || e.shiftKey || e.isComposing || !sends(e)) return;
  e.preventDefault();
  if (!tooLong(e.target) && interactive()) {
    e.target.form?.requestSubmit();
  }
}, true);

window.addEventListener('submit', (e) => {
  const box = e.target.querySelector?.('textarea[data-composer]');
  if (box && tooLong(box)) {
    e.preventDefault();
    e.stopPropagation();
  } else if (box) {
    shrinkOnceEmptied(box, performance.now() + 5000);
  }
}, true);

// After a send the server empties the box by setting its value, which fires no input event: the box shrinks back
// to one line once it sees the value gone.
function shrinkOnceEmptied(box, until) {
  if (box.value === '') {
    resize(box);
  } else if (performance.now() < until) {
    requestAnimationFrame(() => shrinkOnceEmptied(box, until));
  }
}
