import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths';

/** A Node process started from the compiled project (`dist/`), once it said it is ready. */
export interface NodeProcess {
  child: ChildProcess;
  /** The first line of its output that matched the readiness pattern, and the pattern's groups. */
  ready: RegExpExecArray;
  /** Everything it wrote so far (stdout and stderr), for error messages. */
  output(): string;
}

/**
 * The compiled entry point of a service, relative to the project's `dist/` (e.g. `gateway/main.js`), whether
 * the caller runs compiled or from source under jest.
 */
export const distScript = (path: string) => join(projectRoot(__dirname), 'dist', path);

/**
 * Starts `node <script> ...args` and resolves when a line of its output matches `ready` (a gateway's
 * "gateway ready at <url>", a subgraph's JSON "ready" log line); rejects when it exits first or takes
 * longer than `timeoutMs`. `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export function startNodeProcess(
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<NodeProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} was not ready within ${timeoutMs} ms: ${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Keep the tail only: a long-running service may log a lot.
      if (output.length > 100_000) output = output.slice(-50_000);
      const match = settled ? null : ready.exec(output);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, ready: match, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`${args.join(' ')} exited with ${code ?? signal}: ${output.slice(-2000)}`));
      settled = true;
    });
  });
}

/** Stops a child with SIGTERM, or SIGKILL when it has not gone after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
  });
}

/** Resident memory of a process (Linux `/proc`), in MB; null when it is gone. */
export function rssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time a process has used so far (user + system, Linux `/proc`), in ms; null when it is gone. */
export function cpuMs(pid: number | undefined): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are 14th and 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** A process and all its descendants (Linux `/proc`): pid → command line. */
export function processTree(root: number): Map<number, string> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Map<number, string>();
  const visit = (pid: number) => {
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1).join(' ');
    } catch {
      return;
    }
    tree.set(pid, command);
    for (const [child, parent] of parents) if (parent === pid) visit(child);
  };
  visit(root);
  return tree;
}
