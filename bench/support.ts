/** What the bench groups share: child processes, the platform, PostgreSQL bench databases, tables. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import pg from 'pg';
import { projectRoot } from '../src/platform/paths.ts';

const children = new Set<ChildProcess>();
const cleanups = new Set<() => unknown>();
let trapped = false;

/**
 * Runs `fn`, then `cleanup`, also when the bench is interrupted (Ctrl-C, SIGTERM): then the
 * servers it started are stopped and every pending cleanup runs (databases dropped, folders removed).
 */
export async function withCleanup<T>(cleanup: () => unknown, fn: () => Promise<T>): Promise<T> {
  if (!trapped) {
    trapped = true;
    const onSignal = async () => {
      // what the cleanup breaks (connections to a dropped database) is expected: stay quiet
      process.on('uncaughtException', () => {});
      process.on('unhandledRejection', () => {});
      console.error('bench: interrupted; stopping servers and removing what it created');
      for (const child of children) child.kill('SIGTERM');
      for (const pending of [...cleanups].reverse()) await Promise.resolve(pending()).catch(() => {});
      process.exit(130);
    };
    process.once('SIGINT', () => void onSignal());
    process.once('SIGTERM', () => void onSignal());
  }
  cleanups.add(cleanup);
  try {
    return await fn();
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
}

/** Starts `tsx <args>` and resolves once its output matches `ready` (group 1: its URL). */
export function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: projectRoot, env });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The real platform (`src/main.ts`: migrate, seed, buildApp, listen) in its own process. */
export async function startPlatform(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, url };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the platform did not become ready within 120 s');
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** The PostgreSQL server to bench on, if any. */
export const postgresUrl = () => process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

/** Runs `fn` on a new database of that server, dropped afterwards whatever happens. */
export async function withPostgresDatabase<T>(
  baseUrl: string,
  name: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return withCleanup(
    async () => {
      if (dropped) return;
      dropped = true;
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
    () => fn(url.toString()),
  );
}

/** Prints a Markdown table on stdout. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
