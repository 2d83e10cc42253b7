import { describe, expect, it, vi } from 'vitest';
import { gatewayAlerts } from '../../../src-main/gateway-alerts.js';

describe('gatewayAlerts', () => {
  it('notifies once per failing episode, with the last error, and again after a recovery', () => {
    const notify = vi.fn();
    const alert = gatewayAlerts({ notify });
    alert({ state: 'restarting', lastError: 'exited (code 1)' });
    expect(notify).not.toHaveBeenCalled();
    alert({ state: 'failing', lastError: 'exited (code 1)' });
    alert({ state: 'failing', lastError: 'exited (code 2)' });
    expect(notify).toHaveBeenCalledOnce();
    expect(notify).toHaveBeenCalledWith("Airlock's gateway keeps failing", 'exited (code 1)');
    alert({ state: 'running' });
    alert({ state: 'failing', lastError: 'not healthy' });
    expect(notify).toHaveBeenCalledTimes(2);
  });
});
