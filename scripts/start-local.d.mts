export declare const removedVariables: readonly string[];

export type LocalRun =
  | {
      ok: true;
      botPort: number;
      firstPlaygroundPort: number;
      directoryFile: string;
      sqlitePath: string;
      ignored: string[];
    }
  | { ok: false; problems: string[] };

export declare function describeLocalRun(env: Record<string, string | undefined>): LocalRun;

export declare function describeBotEnvironment(
  env: Record<string, string | undefined>,
  run: {
    botPort: number;
    directoryFile: string;
    sqlitePath: string;
    tenantId: string;
    identityHashKey: string;
  },
): Record<string, string>;
