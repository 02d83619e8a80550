import type { FastifyBaseLogger } from "fastify";
import type { Bindings, ChildLoggerOptions, Logger } from "pino";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
type Level = (typeof LEVELS)[number];
type Write = (...args: unknown[]) => void;

/**
 * A request's logger, made when the request first writes a line at a level that is on. Fastify
 * gives every request a pino child logger, which serializes and redacts its bindings as it is made
 * (about 1 µs a request: `npm run bench`), and a request on the hot path writes nothing.
 */
class LazyRequestLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly ownBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** The pino child, made on first use: the lines are the ones it would have written from the start. */
  private get real(): Logger {
    return (this.#child ??= this.parent.child(this.ownBindings, this.options));
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.real[level] as Write)(...args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  bindings(): Bindings {
    return this.#child?.bindings() ?? { ...this.parent.bindings(), ...this.ownBindings };
  }

  flush(callback?: (err?: Error) => void): void {
    (this.#child ?? this.parent).flush(callback);
  }
}

// One method per level, each writing through the child once it is needed.
interface LazyRequestLogger extends Record<Level, Write> {}
for (const level of LEVELS) {
  LazyRequestLogger.prototype[level] = function (this: LazyRequestLogger, ...args: unknown[]) {
    this.write(level, args);
  };
}

/** Fastify's `childLoggerFactory` (the app's logger is pino's): a lazy request logger, unless the route sets options of its own (a level, serializers). */
export function requestLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (Object.keys(options).length > 0) return logger.child(bindings, options);
  return new LazyRequestLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
