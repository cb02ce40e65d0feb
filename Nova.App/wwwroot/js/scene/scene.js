// Runs the background scene inside its container (started by start.js) and keeps it cheap:
//  - effects off (localStorage 'nova.effects' = 'off'): no three.js, no WebGL context;
//  - prefers-reduced-motion: one still frame, redrawn only when the state or theme changes;
//  - no WebGL: the container's CSS gradient stays on its own;
//  - idle or error: fewer pixels (idleScale), and the motion slows to rest a few seconds after the
//    chat went quiet, when frames stop altogether until the chat or the theme changes. Without a GPU
//    (software WebGL) a frame costs the browser ~20 ms of CPU however small, so only not drawing is cheap;
//  - nothing at all while the tab is hidden.
// The container shows what it is doing in data-state (chat state), data-theme and data-mode
// ('loading' | 'animated' | 'still' | 'fallback' | 'off'), and while animated data-motion ('moving' | 'resting').
import * as novaState from '../nova-state.js';

const idleScale = 0.5;
// Once idle, time runs normally for restAfterMs (the look blends to idle), then slows to a stop over slowDownMs.
const restAfterMs = 2500;
const slowDownMs = 3000;
const busyScale = 0.75;
// 30 frames a second is smooth for soft, slow particles and halves the cost on 60 Hz screens.
const minFrameMs = 1000 / 30 - 4;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

// The scene lives as long as the page: its element is kept across enhanced navigation.
export function mount(container) {
    new SceneHost(container);
}

class SceneHost {
    #container;
    #snapshot;
    #world = null;
    #canvas = null;
    #loading = null;
    #webGlFailed = false;
    #raf = 0;
    #lastFrame = 0;
    #scale = idleScale;
    #quietSince = performance.now();

    constructor(container) {
        this.#container = container;
        this.#snapshot = novaState.getSnapshot();
        novaState.subscribe(snapshot => {
            const woke = snapshot.chatState !== this.#snapshot.chatState || snapshot.theme !== this.#snapshot.theme;
            this.#snapshot = snapshot;
            if (woke) {
                this.#quietSince = performance.now();
            }
            this.#apply();
        });
        reducedMotion.addEventListener('change', () => this.#apply());
        document.addEventListener('visibilitychange', () => this.#apply());
        window.addEventListener('resize', () => this.#resize());
        this.#apply();
    }

    #apply() {
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
            const scale = this.#busy() ? busyScale : idleScale;
            if (scale !== this.#scale) {
                this.#scale = scale;
                this.#resize();
            }
            if (document.hidden) {
                this.#stop();
            } else {
                this.#schedule();
            }
        }
    }

    async #load() {
        try {
            const { createWorld } = await import('./world.js');
            if (!this.#snapshot.effectsEnabled) {
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
            this.#quietSince = performance.now();
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
        if (this.#raf) {
            return;
        }
        this.#container.dataset.motion = 'moving';
        this.#raf = requestAnimationFrame(this.#frame);
    }

    // 1 while the chat is busy or just went quiet, then down to 0 (at rest).
    #motion(now) {
        if (this.#busy()) {
            return 1;
        }
        return Math.min(1, Math.max(0, 1 - (now - this.#quietSince - restAfterMs) / slowDownMs));
    }

    #frame = now => {
        this.#raf = 0;
        if (!this.#world || document.hidden || reducedMotion.matches) {
            return;
        }
        if (this.#lastFrame && now - this.#lastFrame < minFrameMs) {
            this.#schedule();
            return;
        }
        // After a pause (hidden tab) continue smoothly instead of jumping ahead.
        const motion = this.#motion(now);
        const dt = this.#lastFrame ? Math.min((now - this.#lastFrame) / 1000, 0.1) * motion : 0;
        this.#lastFrame = now;
        this.#world.draw(this.#inputs(), dt);
        if (motion > 0) {
            this.#schedule();
        } else {
            this.#lastFrame = 0;
            this.#container.dataset.motion = 'resting';
        }
    };

    #stop() {
        cancelAnimationFrame(this.#raf);
        this.#raf = 0;
        this.#lastFrame = 0;
    }

    #resize() {
        if (this.#world) {
            this.#world.resize(Math.max(1, window.innerWidth), Math.max(1, window.innerHeight), this.#scale);
            // Resizing clears the canvas; a still or resting scene has no next frame coming to fill it.
            if (reducedMotion.matches || !this.#raf) {
                this.#world.draw(this.#inputs(), 0, reducedMotion.matches);
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
