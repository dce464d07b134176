import { describe, expect, it } from 'vitest';
import { ConsumerHealthTracker } from './consumer-health.js';

describe('ConsumerHealthTracker', () => {
  it('is healthy only as a member of its group (a routine rebalance included)', () => {
    const tracker = new ConsumerHealthTracker('g', ['t']);
    const healthyIn = (state: Parameters<ConsumerHealthTracker['moveTo']>[0]) => {
      tracker.moveTo(state);
      return tracker.report().healthy;
    };
    expect(tracker.report()).toMatchObject({ state: 'created', healthy: false });
    expect(healthyIn('connecting')).toBe(false);
    expect(healthyIn('joining')).toBe(false);
    expect(healthyIn('member')).toBe(true);
    expect(healthyIn('rebalancing')).toBe(true);
    expect(healthyIn('restarting')).toBe(false);
    expect(healthyIn('member')).toBe(true);
  });

  it('stays crashed until started again, whatever late events of the old run say', () => {
    const tracker = new ConsumerHealthTracker('g', ['t']);
    tracker.moveTo('member');
    tracker.moveTo('crashed');
    tracker.moveTo('member');
    expect(tracker.report()).toMatchObject({ state: 'crashed', healthy: false });
    tracker.moveTo('connecting');
    tracker.moveTo('member');
    expect(tracker.report().healthy).toBe(true);
  });

  it('does not look alive again while stopping', () => {
    const tracker = new ConsumerHealthTracker('g', ['t']);
    tracker.moveTo('stopping');
    tracker.moveTo('member');
    expect(tracker.report().state).toBe('stopping');
    tracker.moveTo('stopped');
    expect(tracker.report()).toMatchObject({ state: 'stopped', healthy: false });
  });
});
