#!/usr/bin/env node
// Entry point for `airlock` / `npx airlock`. It runs the TypeScript sources through tsx's loader,
// so a fresh clone works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-gateway/cli.ts');
