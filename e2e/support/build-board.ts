import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBoard } from '../../scripts/web-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The board built once for same-origin serving by the real server. */
    webDir: string;
  }
}

export default async function setup(project: TestProject) {
  const webDir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-board-'));
  await buildBoard(webDir);
  project.provide('webDir', webDir);
  return () => rmSync(webDir, { recursive: true, force: true });
}
