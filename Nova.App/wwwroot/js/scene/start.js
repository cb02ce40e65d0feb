// Starts the background scene once the page has loaded and the browser is idle, so neither three.js
// nor the scene's first frame competes with the page becoming interactive. The scene's element is
// data-permanent: enhanced navigation keeps it, and the scene running in it, so this runs once a page load.
const container = document.getElementById('nova-scene');

if (container) {
    const start = async () => (await import('./scene.js')).mount(container);
    const whenIdle = () => window.requestIdleCallback
        ? window.requestIdleCallback(start, { timeout: 2000 })
        : setTimeout(start, 200);
    if (document.readyState === 'complete') {
        whenIdle();
    } else {
        window.addEventListener('load', whenIdle, { once: true });
    }
}
