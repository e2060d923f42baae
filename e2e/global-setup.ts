import fs from 'node:fs';

// The server creates the database on start; the directory must exist and start empty.
export default function globalSetup() {
  const dir = process.env.E2E_DIR as string;
  return () => {
    if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
}
