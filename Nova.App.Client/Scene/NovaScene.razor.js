// Runs the NovaScene inside its container and keeps it cheap:
//  - effects off (localStorage 'nova.effects' = 'off'): no three.js, no WebGL context;
//  - prefers-reduced-motion: one still frame, redrawn only when the state or theme changes;
//  - no WebGL: the container's CSS gradient stays on its own;
//  - idle or error: at most idleFps frames a second; nothing at all while the tab is hidden.
// The container shows what it is doing in data-state (chat state), data-theme and data-mode
// ('loading' | 'animated' | 'still' | 'fallback' | 'off').
import * as novaState from '../js/nova-state.js';

const idleFps = 15;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

export function mount(container) {
    const scene = new SceneHost(container);
    return { dispose: () => scene.dispose() };
}

class SceneHost {
    #container;
    #snapshot;
    #world = null;
    #canvas = null;
    #loading = null;
    #webGlFailed = false;
    #disposed = false;
    #raf = 0;
    #timer = 0;
    #lastFrame = 0;
    #unsubscribe;
    #onMotionChange = () => this.#apply();
    #onVisibility = () => this.#apply();
    #onResize = () => this.#resize();

    constructor(container) {
        this.#container = container;
        this.#snapshot = novaState.getSnapshot();
        this.#unsubscribe = novaState.subscribe(snapshot => {
            this.#snapshot = snapshot;
            this.#apply();
        });
        reducedMotion.addEventListener('change', this.#onMotionChange);
        document.addEventListener('visibilitychange', this.#onVisibility);
        window.addEventListener('resize', this.#onResize);
        this.#apply();
    }

    dispose() {
        this.#disposed = true;
        this.#unsubscribe();
        reducedMotion.removeEventListener('change', this.#onMotionChange);
        document.removeEventListener('visibilitychange', this.#onVisibility);
        window.removeEventListener('resize', this.#onResize);
        this.#teardown();
    }

    #apply() {
        if (this.#disposed) {
            return;
        }
        const { chatState, theme, effectsEnabled } = this.#snapshot;
        this.#container.dataset.state = chatState;
        this.#container.dataset.theme = theme;
        if (!effectsEnabled) {
            this.#teardown();
            this.#setMode('off');
        } else if (this.#webGlFailed) {
            this.#setMode('fallback');
        } else if (!this.#world) {
            this.#setMode('loading');
            this.#loading ??= this.#load();
        } else if (reducedMotion.matches) {
            this.#stop();
            this.#setMode('still');
            this.#world.draw(this.#inputs(), 0, true);
        } else {
            this.#setMode('animated');
            if (document.hidden) {
                this.#stop();
            } else {
                this.#schedule();
            }
        }
    }

    async #load() {
        try {
            const { createWorld } = await import('../js/scene/world.js');
            if (this.#disposed || !this.#snapshot.effectsEnabled) {
                return;
            }
            const canvas = document.createElement('canvas');
            const area = window.innerWidth * window.innerHeight;
            this.#world = createWorld(canvas, Math.round(Math.min(2200, Math.max(700, area / 500))));
            canvas.addEventListener('webglcontextlost', event => {
                if (canvas !== this.#canvas) {
                    return;   // our own teardown
                }
                event.preventDefault();
                this.#webGlFailed = true;
                this.#teardown();
                this.#apply();
            });
            this.#canvas = canvas;
            this.#container.append(canvas);
            this.#resize();
            this.#world.draw(this.#inputs(), 0, true);
        } catch (error) {
            // No WebGL 2 (or three.js could not load): the CSS gradient is the background.
            console.info('NovaScene: WebGL unavailable, showing the static background.', error?.message ?? error);
            this.#webGlFailed = true;
        } finally {
            this.#loading = null;
        }
        this.#apply();
    }

    #inputs() {
        return { chatState: this.#snapshot.chatState, theme: this.#snapshot.theme, tokenRate: novaState.getTokenRate() };
    }

    #busy() {
        return this.#snapshot.chatState === 'thinking' || this.#snapshot.chatState === 'streaming';
    }

    #schedule() {
        if (this.#raf || this.#timer) {
            return;
        }
        const wait = this.#busy() ? 0 : 1000 / idleFps - (performance.now() - this.#lastFrame);
        if (wait > 4) {
            this.#timer = setTimeout(() => {
                this.#timer = 0;
                this.#raf = requestAnimationFrame(this.#frame);
            }, wait);
        } else {
            this.#raf = requestAnimationFrame(this.#frame);
        }
    }

    #frame = now => {
        this.#raf = 0;
        if (!this.#world || document.hidden || reducedMotion.matches) {
            return;
        }
        // After a pause (hidden tab) continue smoothly instead of jumping ahead.
        const dt = this.#lastFrame ? Math.min((now - this.#lastFrame) / 1000, 0.1) : 0;
        this.#lastFrame = now;
        this.#world.draw(this.#inputs(), dt);
        this.#schedule();
    };

    #stop() {
        cancelAnimationFrame(this.#raf);
        clearTimeout(this.#timer);
        this.#raf = 0;
        this.#timer = 0;
        this.#lastFrame = 0;
    }

    #resize() {
        if (this.#world) {
            this.#world.resize(Math.max(1, window.innerWidth), Math.max(1, window.innerHeight));
            if (reducedMotion.matches) {
                this.#world.draw(this.#inputs(), 0, true);
            }
        }
    }

    #teardown() {
        this.#stop();
        const world = this.#world;
        const canvas = this.#canvas;
        this.#world = null;
        this.#canvas = null;
        world?.dispose();
        canvas?.remove();
    }

    #setMode(mode) {
        this.#container.dataset.mode = mode;
    }
}
