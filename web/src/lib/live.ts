import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  BoardEvent,
  ClientToServerEvents,
  HandshakeAuth,
  PresenceEntry,
  PresenceUpdate,
  ServerToClientEvents,
  SocketProblem,
} from '../../../shared/events.js';
import type { BoardSnapshot } from '../../../shared/ticket.js';
import { ApiError, createApi, type Api } from './api.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface BoardStore {
  /** The whole board replaced (first load, or when the client was away too long to catch up event by event). */
  reset(snapshot: BoardSnapshot): void;
  /** Exactly once per seq, strictly in seq order. */
  apply(event: BoardEvent): void;
}

export interface LiveOptions {
  /** '' = same origin; else the API origin (static deployment). */
  baseUrl: string;
  /** The same id the REST client sends as X-Client-Id. */
  clientId: string;
  store: BoardStore;
  onState?(state: ConnectionState): void;
  onPresence?(people: PresenceEntry[]): void;
  onRefused?(problem: SocketProblem): void;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  fetch?: typeof fetch;
  /** How long an early event waits for the ones before it before they are fetched (default 300 ms). */
  gapWaitMs?: number;
  /** How long the socket may be down before the state says offline rather than reconnecting (default 5 s). */
  offlineAfterMs?: number;
  /** How long start() waits for the socket before loading the board anyway (default 5 s). */
  connectTimeoutMs?: number;
}

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;

/**
 * Keeps a board store equal to the server's: live events in seq order, early
 * ones held back, gaps filled from /api/events, a fresh snapshot when the log
 * no longer reaches back far enough. Framework-agnostic: plain TypeScript.
 */
export class LiveConnection {
  readonly #options: LiveOptions;
  readonly #api: Api;
  #socket: BoardSocket | undefined;
  #state: ConnectionState = 'connecting';
  #seq = 0;
  #loaded = false;
  #starting = false;
  #reloading = false;
  #stopped = false;
  /** Events received ahead of the next seq (or before the first snapshot), by seq. */
  readonly #early = new Map<number, BoardEvent>();
  #catchUp: Promise<void> | undefined;
  #catchUpAgain = false;
  #connects = 0;
  #presence: PresenceUpdate = {};
  #presenceUnsent = false;
  #gapTimer: ReturnType<typeof setTimeout> | undefined;
  #offlineTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = RETRY_MIN_MS;
  readonly #onBrowserOnline = () => this.#browserOnlineChanged();

  constructor(options: LiveOptions) {
    this.#options = options;
    this.#api = createApi({ baseUrl: options.baseUrl, clientId: options.clientId, fetch: options.fetch });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The underlying socket, for diagnostics and tests (e.g. `socket.recovered`). */
  get socket(): BoardSocket | undefined {
    return this.#socket;
  }

  /** The last applied seq. */
  get seq(): number {
    return this.#seq;
  }

  /** Connects, loads the snapshot, and resolves once the board is applied. */
  async start(): Promise<void> {
    if (this.#socket) throw new Error('this live connection has already been started');
    this.#setState('connecting');
    const socket: BoardSocket = io(this.#options.baseUrl || undefined, {
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      auth: (send) => send({ clientId: this.#options.clientId, ...this.#presence } satisfies HandshakeAuth),
      ...this.#options.socketOptions,
    });
    this.#socket = socket;
    socket.on('board:event', (event) => this.#receive(event));
    socket.on('presence', (people) => this.#options.onPresence?.(people));
    socket.on('message:refused', (problem) => this.#options.onRefused?.(problem));
    socket.on('connect', () => this.#connected(socket));
    socket.on('disconnect', (reason) => this.#disconnected(reason));
    socket.on('connect_error', () => this.#lost());
    socket.io.on('reconnect_failed', () => this.#setState('offline'));
    globalThis.addEventListener?.('online', this.#onBrowserOnline);
    globalThis.addEventListener?.('offline', this.#onBrowserOnline);

    // Subscribe first and buffer: the snapshot then misses nothing that happens while it loads.
    this.#starting = true;
    try {
      await this.#firstConnection(socket);
      const connectedForSnapshot = socket.connected;
      const connectsBefore = this.#connects;
      await this.#reload();
      if (socket.connected && (!connectedForSnapshot || this.#connects !== connectsBefore)) this.#catchUpQuietly();
    } finally {
      this.#starting = false;
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#gapTimer);
    clearTimeout(this.#offlineTimer);
    clearTimeout(this.#retryTimer);
    globalThis.removeEventListener?.('online', this.#onBrowserOnline);
    globalThis.removeEventListener?.('offline', this.#onBrowserOnline);
    this.#socket?.close();
    this.#setState('offline');
  }

  /** Tells the others who this is and which ticket it has open. */
  updatePresence(update: PresenceUpdate): void {
    if (update.name !== undefined) this.#presence.name = update.name;
    if (update.viewing !== undefined) this.#presence.viewing = update.viewing;
    if (this.#socket?.connected) {
      this.#socket.emit('presence:update', update);
    } else {
      this.#presenceUnsent = true;
    }
  }

  /** Forces a catch-up (after the tab wakes up, etc.); resolves once the board is current. */
  resync(): Promise<void> {
    return this.#runCatchUp();
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onState?.(state);
  }

  #firstConnection(socket: BoardSocket): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        socket.off('connect', done);
        socket.off('connect_error', done);
        resolve();
      };
      const timer = setTimeout(done, this.#options.connectTimeoutMs ?? 5_000);
      socket.once('connect', done);
      socket.once('connect_error', done);
    });
  }

  #connected(socket: BoardSocket): void {
    this.#connects++;
    clearTimeout(this.#offlineTimer);
    this.#offlineTimer = undefined;
    this.#retryDelay = RETRY_MIN_MS;
    this.#setState('connected');
    if (this.#presenceUnsent) {
      this.#presenceUnsent = false;
      // A recovered session keeps the presence it had; a new one took it from the handshake.
      if (socket.recovered) socket.emit('presence:update', this.#presence);
    }
    if (!this.#loaded) {
      // start() could not load the board (server unreachable): now that the server answers, load it.
      if (!this.#starting) this.#catchUpQuietly();
      return;
    }
    // Recovery replayed what was missed (and #receive checks it by seq); otherwise ask the log.
    if (!socket.recovered) this.#catchUpQuietly();
  }

  #disconnected(reason: Socket.DisconnectReason): void {
    if (this.#stopped) return;
    if (reason === 'io server disconnect') {
      // The server ended this session on purpose (e.g. signed out): no reconnecting.
      this.#setState('offline');
      return;
    }
    this.#lost();
  }

  #lost(): void {
    if (this.#stopped || this.#socket?.connected) return;
    if (isBrowserOffline()) {
      this.#setState('offline');
      return;
    }
    if (this.#state !== 'offline') this.#setState(this.#loaded ? 'reconnecting' : 'connecting');
    this.#offlineTimer ??= setTimeout(() => {
      this.#offlineTimer = undefined;
      if (!this.#socket?.connected && !this.#stopped) this.#setState('offline');
    }, this.#options.offlineAfterMs ?? 5_000);
  }

  #browserOnlineChanged(): void {
    if (this.#stopped || this.#socket?.connected) return;
    if (isBrowserOffline()) {
      this.#setState('offline');
    } else {
      this.#setState('reconnecting');
      this.#socket?.connect();
    }
  }

  #receive(event: BoardEvent): void {
    if (!Number.isInteger(event?.seq)) return;
    if (this.#reloading || !this.#loaded) {
      this.#early.set(event.seq, event);
      return;
    }
    if (event.seq <= this.#seq) return;
    this.#early.set(event.seq, event);
    this.#drain();
  }

  /** Applies every held event that now follows on; a remaining gap is filled from the log soon. */
  #drain(): void {
    for (let next = this.#early.get(this.#seq + 1); next; next = this.#early.get(this.#seq + 1)) {
      this.#early.delete(next.seq);
      this.#seq = next.seq;
      this.#options.store.apply(next);
    }
    if (this.#early.size === 0) {
      clearTimeout(this.#gapTimer);
      this.#gapTimer = undefined;
      return;
    }
    // Another instance's event may simply be a moment behind: give it a short while before asking the log.
    this.#gapTimer ??= setTimeout(() => {
      this.#gapTimer = undefined;
      if (this.#early.size > 0) this.#catchUpQuietly();
    }, this.#options.gapWaitMs ?? 300);
  }

  /** Replaces the board with a fresh snapshot and applies the held events that come after it. */
  async #reload(): Promise<void> {
    this.#reloading = true;
    try {
      const snapshot = await this.#api.board();
      for (const seq of this.#early.keys()) if (seq <= snapshot.seq) this.#early.delete(seq);
      this.#seq = snapshot.seq;
      this.#loaded = true;
      this.#options.store.reset(snapshot);
    } finally {
      this.#reloading = false;
    }
    this.#drain();
  }

  #runCatchUp(): Promise<void> {
    if (this.#catchUp) {
      this.#catchUpAgain = true;
      return this.#catchUp;
    }
    const run = async () => {
      try {
        do {
          this.#catchUpAgain = false;
          await this.#catchUpOnce();
        } while (this.#catchUpAgain && !this.#stopped);
        clearTimeout(this.#retryTimer);
        this.#retryTimer = undefined;
        this.#retryDelay = RETRY_MIN_MS;
      } catch (error) {
        this.#scheduleRetry();
        throw error;
      } finally {
        this.#catchUp = undefined;
      }
    };
    this.#catchUp = run();
    return this.#catchUp;
  }

  #catchUpQuietly(): void {
    this.#runCatchUp().catch(() => undefined);
  }

  /** Fetches the log after the last applied seq, page by page; a 410 means it no longer reaches back: reload. */
  async #catchUpOnce(): Promise<void> {
    if (!this.#loaded) {
      await this.#reload();
      return;
    }
    while (!this.#stopped) {
      const before = this.#seq;
      let page;
      try {
        page = await this.#api.events(before);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 410) throw error;
        await this.#reload();
        if (this.#early.size === 0) return;
        continue;
      }
      for (const event of page.events) this.#receive(event);
      if (page.events.length === 0 || this.#seq >= page.seq) return;
      // The log should always continue from our seq; if it did not, only a snapshot can be trusted.
      if (this.#seq === before) await this.#reload();
    }
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#stopped) this.#catchUpQuietly();
    }, this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
  }
}

function isBrowserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
