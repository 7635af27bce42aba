/**
 * A fixed-count load generator that keeps every request's latency, so that any percentile (p95
 * too: autocannon reports p97.5 and p99 but not p95) comes from the real distribution. `requests`
 * requests go out over `concurrency` keep-alive connections, each sending its next request as soon
 * as the previous answer has been read in full.
 */
import http from 'node:http';

export interface LoadResult {
  /** Milliseconds, one per request, in completion order. */
  latencies: number[];
  seconds: number;
  /** Network errors and answers other than 200. */
  errors: number;
}

export async function fixedLoad(
  url: string,
  headers: Record<string, string>,
  requests: number,
  concurrency: number,
): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const options = {
    agent,
    host: target.hostname,
    port: target.port,
    path: `${target.pathname}${target.search}`,
    headers,
  };
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      const request = http.get(options, (response) => {
        response.on('data', () => {});
        response.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          if (response.statusCode !== 200) errors++;
          resolve();
        });
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests) }, async () => {
      while (issued < requests) {
        issued++;
        await one();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { latencies, seconds, errors };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
