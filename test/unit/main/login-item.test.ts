import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { xdgAutostart } from '../../../src-main/login-item.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-autostart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xdgAutostart', () => {
  it('writes an autostart entry that runs the app, and removes it again', () => {
    const item = xdgAutostart(dir, '/opt/Air "lock"/$app', ['--hidden']);
    expect(item.get()).toBe(false);
    item.set(true);
    expect(item.get()).toBe(true);
    const entry = readFileSync(join(dir, 'autostart', 'airlock.desktop'), 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Airlock\n');
    expect(entry).toContain('Exec="/opt/Air \\"lock\\"/\\$app" "--hidden"\n');
    item.set(false);
    expect(item.get()).toBe(false);
    item.set(false);
  });
});
