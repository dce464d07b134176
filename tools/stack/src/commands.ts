import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Everything the command prints is appended here, so a failure can be read in full. */
  readonly logFile: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs an install step to completion; on failure the error carries the command's last lines. */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  appendFileSync(options.logFile, `\n$ ${command} ${args.join(' ')}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      appendFileSync(options.logFile, chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` exited with ${code}:\n${lastLines(output, 25)}\n(full log: ${options.logFile})`,
          ),
        );
    });
  });
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Finds an executable on PATH, or undefined. */
export async function which(program: string): Promise<string | undefined> {
  const { access, constants } = await import('node:fs/promises');
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = `${dir}/${program}`;
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
