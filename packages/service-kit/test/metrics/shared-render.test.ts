import { sharedRender } from '../../src/metrics/shared-render';

/** Past the turn of the event loop in which a render begins. */
const nextTurn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('sharedRender', () => {
  it('renders once for callers of the same moment, and again, after it, for a caller during a render', async () => {
    let renders = 0;
    let finish: (() => void) | undefined;
    const render = sharedRender(async () => {
      renders += 1;
      const n = renders;
      await new Promise<void>((resolve) => (finish = resolve));
      return `render ${n}`;
    });

    const first = Array.from({ length: 100 }, () => render());
    await nextTurn();
    expect(renders).toBe(1);
    // Asked while render 1 runs: not given render 1 (it began before they asked), but one render 2.
    const second = Array.from({ length: 100 }, () => render());
    finish?.();
    expect(new Set(await Promise.all(first))).toEqual(new Set(['render 1']));
    await nextTurn();
    expect(renders).toBe(2);
    finish?.();
    expect(new Set(await Promise.all(second))).toEqual(new Set(['render 2']));
  });

  it('passes a failure to its callers and renders again for the next', async () => {
    let fail = true;
    const render = sharedRender(async () => {
      if (fail) throw new Error('collect failed');
      return 'ok';
    });
    await expect(Promise.all([render(), render()])).rejects.toThrow('collect failed');
    fail = false;
    await expect(render()).resolves.toBe('ok');
  });
});
