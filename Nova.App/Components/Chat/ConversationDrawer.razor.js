// The browser's IANA time zone, so chats group by the user's days rather than the server's.
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

// Where a chat's shared menu opens, in page coordinates: under its button, also when the button was pressed by
// keyboard (no cursor position).
export function bottomRight(element) {
  const box = element.getBoundingClientRect();
  return { x: box.right + window.scrollX, y: box.bottom + window.scrollY };
}

// A menu opened by keyboard takes the focus, so arrow keys and Enter work in it at once. Its items appear with the
// next render, a frame or two later.
export async function focusOpenMenu() {
  for (let frame = 0; frame < 60; frame++) {
    const item = document.querySelector('.mud-popover-open [role="menuitem"]');
    if (item) {
      moveWithKeys(item.closest('[role="menu"]'));
      item.focus();
      return true;
    }
    await new Promise(requestAnimationFrame);
  }
  return false;
}

const steps = { ArrowDown: 1, ArrowUp: -1 };

function moveWithKeys(menu) {
  if (!menu || menu.dataset.novaKeys) {
    return;
  }
  menu.dataset.novaKeys = 'on';
  menu.addEventListener('keydown', event => {
    const items = [...menu.querySelectorAll('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement);
    if (event.key in steps) {
      event.preventDefault();
      event.stopPropagation();
      items[(at + steps[event.key] + items.length) % items.length].focus();
    } else if ((event.key === 'Enter' || event.key === ' ') && at >= 0) {
      event.preventDefault();
      event.stopPropagation();
      items[at].click();
    }
  });
}
