export declare const repoRoot: string;
export declare const defaultPlaygroundPort: number;
export declare const mockDataFile: string;
export declare const connectorPath: string;
export declare const maxLocalPlaygrounds: number;

export interface PlaygroundCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

export declare function describePlaygroundCommand(options: {
  port: number;
  botEndpoint: string;
  logFile: string;
  serviceUrl?: string;
  configFile?: string;
}): PlaygroundCommand;

export declare function findListeningPort(output: string): number | undefined;

export interface MockUser {
  id: string;
  name: string;
  aadObjectId: string;
  [field: string]: unknown;
}

export interface LocalMockData {
  tenantId: string;
  currentUser: MockUser;
  users: MockUser[];
  personalChat: { id: string };
  [field: string]: unknown;
}

export interface LocalPerson {
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly title?: string;
  readonly roles: string[];
  readonly mockData: LocalMockData;
}

export declare function describeLocalPeople(input: { directory: unknown; mockData: unknown }): {
  people: LocalPerson[];
  outsideTeams: string[];
  leftOut: string[];
};

export declare function describeMockDataFor(
  mockData: unknown,
  user: MockUser,
  pool: MockUser[],
  tenantId: string,
): LocalMockData;

export declare function isNewMessagePath(path: string): boolean;

export interface ConnectorGate {
  readonly port: number;
  connectedPages(): number;
  close(): Promise<void>;
}

export declare function startConnectorGate(options: {
  port: number;
  targetPort: number;
  host?: string;
  readyAfterMs?: number;
  waitForClientMs?: number;
  onRefused?: (method: string, path: string) => void;
}): Promise<ConnectorGate>;

export declare function installInPersonalChat(options: {
  playgroundPort: number;
  personalChatId: string;
}): Promise<void>;
