export declare const repoRoot: string;
export declare const defaultPlaygroundPort: number;
export declare const mockDataFile: string;

export interface PlaygroundCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

export declare function describePlaygroundCommand(options: {
  port: number;
  botEndpoint: string;
  logFile: string;
}): PlaygroundCommand;

export declare function findListeningPort(output: string): number | undefined;
