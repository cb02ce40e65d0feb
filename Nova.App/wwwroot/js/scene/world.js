// The NovaScene picture: a slowly turning two-armed disc of particles around a softly glowing
// core. All motion is computed in the vertex shader from per-particle constants, so a frame costs
// two draw calls (particles, core) and no per-particle work on the CPU.
import * as THREE from '../../lib/three/three.module.js';
import { targetFor } from './looks.js';

const maxPixelRatio = 1.5;

const particleVertex = /* glsl */ `
    attribute vec4 aOrbit;   // radius, start angle, height, angular speed factor
    attribute vec3 aSeed;    // size, phase, colour mix
    uniform float uOrbit;    // integrated rotation, so speed changes never jump
    uniform float uTime;
    uniform float uPull;     // 0..1: the disc draws in towards the core (thinking)
    uniform float uWave;     // 0..1: ripples run outwards from the core (streaming)
    uniform float uPulse;    // 0..1: the core's current pulse
    uniform float uSize;
    uniform float uPixelRatio;
    varying float vMix;
    varying float vAlpha;

    void main() {
        float r = aOrbit.x;
        float ripple = sin(r * 1.9 - uTime * 2.6 + aSeed.y * 0.6);
        float radius = r * (1.0 - 0.22 * uPull * smoothstep(0.0, 6.0, r)) + ripple * uWave * 0.18;
        float angle = aOrbit.y + uOrbit * aOrbit.w / sqrt(max(r, 0.4));
        float y = aOrbit.z * (1.0 - 0.5 * uPull) + sin(uTime * 0.35 + aSeed.y * 6.2831) * 0.06
                + ripple * uWave * 0.05;
        vec4 mv = modelViewMatrix * vec4(cos(angle) * radius, y, sin(angle) * radius, 1.0);
        gl_Position = projectionMatrix * mv;

        float nearCore = exp(-r * 0.55);
        gl_PointSize = uSize * aSeed.x * uPixelRatio * (1.0 + 0.8 * uPulse * nearCore) / -mv.z;
        float twinkle = 0.7 + 0.3 * sin(uTime * 0.9 + aSeed.y * 6.2831);
        vMix = aSeed.z;
        vAlpha = twinkle * (1.0 + 0.6 * uWave * max(ripple, 0.0)) * smoothstep(9.5, 4.0, r);
    }`;

const particleFragment = /* glsl */ `
    uniform vec3 uColorA;
    uniform vec3 uColorB;
    uniform float uAlpha;
    varying float vMix;
    varying float vAlpha;

    void main() {
        float d = length(gl_PointCoord - 0.5) * 2.0;
        float a = exp(-d * d * 4.0) * (1.0 - smoothstep(0.8, 1.0, d));
        gl_FragColor = vec4(mix(uColorA, uColorB, vMix), a * vAlpha * uAlpha);
    }`;

const coreVertex = /* glsl */ `
    varying vec2 vUv;
    void main() {
        vUv = uv;
        gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    }`;

const coreFragment = /* glsl */ `
    uniform vec3 uColor;
    uniform float uIntensity;
    uniform float uPulse;
    varying vec2 vUv;
    void main() {
        float d = length(vUv - 0.5) * 2.0;
        float glow = exp(-d * d * (14.0 - 5.0 * uPulse)) + 0.35 * exp(-d * 4.5);
        float alpha = glow * uIntensity * (0.75 + 0.5 * uPulse) * (1.0 - smoothstep(0.85, 1.0, d));
        gl_FragColor = vec4(uColor, alpha);
    }`;

/** Creates the scene on the canvas; throws when WebGL 2 is not available. */
export function createWorld(canvas, particleCount) {
    const renderer = new THREE.WebGLRenderer({
        canvas, alpha: true, antialias: false, powerPreference: 'low-power', depth: false, stencil: false,
    });
    renderer.setClearColor(0x000000, 0);

    const camera = new THREE.PerspectiveCamera(46, 1, 0.1, 60);
    camera.position.set(0, 3.1, 10.5);
    camera.lookAt(0, 0, 0);

    const scene = new THREE.Scene();
    const disc = new THREE.Points(particleGeometry(particleCount), new THREE.ShaderMaterial({
        vertexShader: particleVertex,
        fragmentShader: particleFragment,
        uniforms: {
            uOrbit: { value: 0 }, uTime: { value: 0 }, uPull: { value: 0 }, uWave: { value: 0 },
            uPulse: { value: 0 }, uSize: { value: 70 }, uPixelRatio: { value: 1 },
            uColorA: { value: new THREE.Color() }, uColorB: { value: new THREE.Color() }, uAlpha: { value: 0.5 },
        },
        transparent: true, depthTest: false, depthWrite: false,
    }));
    disc.rotation.z = 0.18;
    disc.frustumCulled = false;

    const core = new THREE.Mesh(new THREE.PlaneGeometry(6.5, 6.5), new THREE.ShaderMaterial({
        vertexShader: coreVertex,
        fragmentShader: coreFragment,
        uniforms: { uColor: { value: new THREE.Color() }, uIntensity: { value: 1 }, uPulse: { value: 0 } },
        transparent: true, depthTest: false, depthWrite: false,
    }));
    core.quaternion.copy(camera.quaternion);
    core.renderOrder = -1;
    scene.add(core, disc);

    const look = targetFor('idle', 'dark', 0);
    const now = { ...look, colorA: look.colorA.slice(), colorB: look.colorB.slice(), core: look.core.slice() };
    let time = 0, orbit = 0, pulsePhase = 0, tokenRate = 0, blending = null;

    function apply(inputs, dt, snap) {
        tokenRate = snap ? inputs.tokenRate : tokenRate + (inputs.tokenRate - tokenRate) * (1 - Math.exp(-dt * 1.5));
        const target = targetFor(inputs.chatState, inputs.theme, tokenRate);
        const k = snap ? 1 : 1 - Math.exp(-dt * 2.2);
        for (const key of Object.keys(target)) {
            if (Array.isArray(target[key])) {
                for (let i = 0; i < 3; i++) now[key][i] += (target[key][i] - now[key][i]) * k;
            } else if (typeof target[key] === 'number') {
                now[key] += (target[key] - now[key]) * k;
            }
        }
        time += dt;
        orbit += dt * now.speed;
        pulsePhase += dt * now.pulseFreq * Math.PI * 2;
        const pulse = now.pulseAmp * Math.pow(0.5 + 0.5 * Math.sin(pulsePhase), 2);

        const wanted = target.additive ? THREE.AdditiveBlending : THREE.NormalBlending;
        if (wanted !== blending) {
            blending = wanted;
            for (const material of [disc.material, core.material]) {
                material.blending = wanted;
                material.needsUpdate = true;
            }
        }
        const u = disc.material.uniforms;
        u.uTime.value = time;
        u.uOrbit.value = orbit;
        u.uPull.value = now.pull;
        u.uWave.value = now.wave;
        u.uPulse.value = pulse;
        u.uAlpha.value = now.alpha;
        u.uColorA.value.setRGB(...now.colorA);
        u.uColorB.value.setRGB(...now.colorB);
        const c = core.material.uniforms;
        c.uColor.value.setRGB(...now.core);
        c.uIntensity.value = now.coreIntensity;
        c.uPulse.value = pulse;
    }

    return {
        /** Advances by dt seconds towards the look of the inputs and draws; snap jumps there at once. */
        draw(inputs, dt, snap = false) {
            apply(inputs, dt, snap);
            renderer.render(scene, camera);
        },
        /** renderScale below 1 draws fewer pixels, stretched to the window: the soft picture hides it. */
        resize(width, height, renderScale = 1) {
            const ratio = Math.min(window.devicePixelRatio || 1, maxPixelRatio) * renderScale;
            renderer.setPixelRatio(ratio);
            renderer.setSize(width, height, false);
            disc.material.uniforms.uPixelRatio.value = ratio;
            camera.aspect = width / height;
            // Keep the core off to the upper right on wide screens, where the text column is not.
            const shift = width > height * 1.1 ? 0.17 : 0;
            camera.setViewOffset(width, height, -shift * width, 0.1 * height, width, height);
            camera.updateProjectionMatrix();
        },
        dispose() {
            disc.geometry.dispose();
            disc.material.dispose();
            core.geometry.dispose();
            core.material.dispose();
            renderer.dispose();
            renderer.forceContextLoss();
        },
    };
}

function particleGeometry(count) {
    const orbit = new Float32Array(count * 4);
    const seed = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
        const halo = Math.random() < 0.12;
        const r = halo ? 1.5 + Math.random() * 7.5 : 0.7 + 7.3 * Math.pow(Math.random(), 1.5);
        const arm = (i % 2) * Math.PI;
        const angle = halo ? Math.random() * Math.PI * 2 : arm + r * 0.85 + gaussian() * 0.32;
        const height = gaussian() * (halo ? 1.1 : 0.16 + r * 0.025);
        orbit.set([r, angle, height, 0.8 + Math.random() * 0.4], i * 4);
        seed.set([0.45 + Math.pow(Math.random(), 3) * 1.3, Math.random(), Math.min(1, r / 7 + gaussian() * 0.2)], i * 3);
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('aOrbit', new THREE.BufferAttribute(orbit, 4));
    geometry.setAttribute('aSeed', new THREE.BufferAttribute(seed, 3));
    // Positions are computed in the shader; three.js still wants a position attribute for the count.
    geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(count * 3), 3));
    return geometry;
}

function gaussian() {
    return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}
