import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's root directory (where package.json is), the same whether code runs compiled from dist/
 * or from source under jest — for files shipped beside the code rather than compiled (the dashboard).
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
