import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { DashboardApp } from '../src/ui/dashboard/App.js';
import { waitFor } from './helpers/wait.js';

// ink-testing-library: a write right after render() is lost (the input hook attaches after the
// first frame), so a tick before each write; after it, the test waits for the frame it expects.
const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));

describe('the live dashboard rendered by ink', () => {
  it('shows the first frame at once, re-reads the store on r, and refreshes by itself', async () => {
    let calls = 0;
    const frame = async () => `frame ${++calls}`;
    const r = render(createElement(DashboardApp, { frame, initial: 'frame 0', intervalMs: 150 }));
    await tick();
    expect(r.lastFrame()).toContain('frame 0');
    expect(r.lastFrame()).toContain('q quit · r refresh · refreshes every 0.15s');
    r.stdin.write('r');
    await waitFor(() => r.lastFrame()?.includes('frame 1'), { what: 'the frame re-read on r' });
    // Then by itself, every intervalMs: a later frame shows up without a key.
    await waitFor(() => calls >= 2 && r.lastFrame()?.includes(`frame ${calls}`), { what: () => `a refresh by itself (last frame: ${r.lastFrame()})` });
    r.unmount();
  });

  it('keeps the last frame and says why when a refresh fails', async () => {
    const r = render(createElement(DashboardApp, { frame: async () => { throw new Error('the store is busy'); }, initial: 'good frame', intervalMs: 0 }));
    await tick();
    r.stdin.write('r');
    await waitFor(() => r.lastFrame()?.includes('could not refresh: the store is busy'), { what: 'the refresh error' });
    expect(r.lastFrame()).toContain('good frame');
    r.unmount();
  });
});
