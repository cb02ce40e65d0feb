// How the NovaScene looks in each chat state and theme. The scene eases towards these values, so
// a change of state is a slow blend, never a jump. Motion is kept slow: this sits behind text.

const motion = {
    idle: { speed: 0.05, pull: 0, wave: 0, pulseFreq: 0.13, pulseAmp: 0.25, coreIntensity: 0.85 },
    thinking: { speed: 0.16, pull: 0.6, wave: 0.08, pulseFreq: 0.7, pulseAmp: 0.55, coreIntensity: 1.1 },
    streaming: { speed: 0.11, pull: 0.15, wave: 0.2, pulseFreq: 0.6, pulseAmp: 0.35, coreIntensity: 1.15 },
    error: { speed: 0.025, pull: 0, wave: 0, pulseFreq: 0.09, pulseAmp: 0.12, coreIntensity: 0.75 },
};

const hex = value => [(value >> 16) / 255, ((value >> 8) & 0xff) / 255, (value & 0xff) / 255];

// Dark: light particles added onto a deep navy. Light: darker, ink-like particles laid over
// a pale background at lower opacity, so body text keeps its contrast.
const palettes = {
    dark: {
        additive: true,
        alpha: 0.6,
        idle: { colorA: hex(0x6f7dff), colorB: hex(0xb48cff), core: hex(0x8896ff) },
        thinking: { colorA: hex(0x5cc8ff), colorB: hex(0x8a7dff), core: hex(0x8fd8ff) },
        streaming: { colorA: hex(0x4de0c8), colorB: hex(0x6aa8ff), core: hex(0x7ff5e2) },
        error: { colorA: hex(0xff6b6b), colorB: hex(0xffa45c), core: hex(0xff7a6b) },
    },
    light: {
        additive: false,
        alpha: 0.42,
        idle: { colorA: hex(0x4b55d6), colorB: hex(0x8a5cd6), core: hex(0x9aa5ff) },
        thinking: { colorA: hex(0x1e86c8), colorB: hex(0x5a55d6), core: hex(0x7fd0ff) },
        streaming: { colorA: hex(0x0f9a88), colorB: hex(0x3a6fd6), core: hex(0x6fe6d2) },
        error: { colorA: hex(0xd64545), colorB: hex(0xd6802e), core: hex(0xff9a8a) },
    },
};

/** The look to ease towards; tokenRate (tokens/s) drives the streaming pulse. */
export function targetFor(chatState, theme, tokenRate) {
    const palette = palettes[theme] ?? palettes.dark;
    const look = { ...(motion[chatState] ?? motion.idle), ...(palette[chatState] ?? palette.idle) };
    look.alpha = palette.alpha;
    look.additive = palette.additive;
    if (chatState === 'streaming') {
        // 0 at no tokens, ~0.7 at 30 tokens/s, approaching 1 for fast models.
        const activity = 1 - Math.exp(-tokenRate / 25);
        look.pulseFreq = 0.5 + 1.8 * activity;
        look.pulseAmp = 0.3 + 0.5 * activity;
        look.wave = 0.2 + 0.7 * activity;
        look.speed = 0.1 + 0.08 * activity;
    }
    return look;
}
