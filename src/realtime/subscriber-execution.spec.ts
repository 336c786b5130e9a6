import { takeTurn } from './subscriber-execution';

describe('takeTurn', () => {
  it('lets other callbacks of the event loop run between turns of a burst of events', async () => {
    const order: string[] = [];
    const events = Promise.all(Array.from({ length: 120 }, () => takeTurn().then(() => order.push('event'))));
    // Stands for I/O that arrived meanwhile (the publisher's answer, say).
    setImmediate(() => order.push('other'));
    await events;
    const before = order.indexOf('other');
    expect(order.filter((o) => o === 'event')).toHaveLength(120);
    expect(before).toBeGreaterThanOrEqual(50);
    expect(before).toBeLessThan(120);
  });

  it('holds back no event that comes alone in its turn, however many came before', async () => {
    for (let i = 0; i < 200; i++) {
      const order: string[] = [];
      setImmediate(() => order.push('next turn'));
      await takeTurn();
      order.push('event');
      expect([i, order[0]]).toEqual([i, 'event']);
      await new Promise((r) => setImmediate(r));
    }
  });
});
