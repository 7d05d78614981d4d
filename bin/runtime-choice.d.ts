export function newestSource(dir: string): number;
export function chooseRuntime(args: {
  env: Record<string, string | undefined>;
  compiledMtime: number | null;
  newestSourceMtime: () => number;
}): 'compiled' | 'source';
export function runtimeFor(root: string, env?: Record<string, string | undefined>): 'compiled' | 'source';
