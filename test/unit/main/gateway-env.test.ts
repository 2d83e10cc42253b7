import { describe, expect, it } from 'vitest';
import { gatewayEnv } from '../../../src-main/gateway-env.js';

describe('gatewayEnv', () => {
  it('keeps only allowlisted variables, XDG_* and AIRLOCK_*', () => {
    const parent = {
      PATH: '/usr/bin', HOME: '/home/a', LANG: 'C.UTF-8', XDG_RUNTIME_DIR: '/run/user/1', AIRLOCK_LOG_LEVEL: 'debug',
      SECRET_FROM_PARENT: 'x', AWS_SECRET_ACCESS_KEY: 'y', NODE_OPTIONS: '--require evil.js', APPDATA: 'C:\\x', UNSET: undefined,
    };
    expect(gatewayEnv(parent, 'linux')).toEqual({
      PATH: '/usr/bin', HOME: '/home/a', LANG: 'C.UTF-8', XDG_RUNTIME_DIR: '/run/user/1', AIRLOCK_LOG_LEVEL: 'debug',
    });
  });

  it('adds the Windows profile variables on Windows, whatever their case', () => {
    const parent = { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', APPDATA: 'a', LOCALAPPDATA: 'b', USERPROFILE: 'c', GITHUB_TOKEN: 'z' };
    expect(gatewayEnv(parent, 'win32')).toEqual({ Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', APPDATA: 'a', LOCALAPPDATA: 'b', USERPROFILE: 'c' });
  });
});
