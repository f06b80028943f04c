import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DynamoDBDocumentClient,
  DynamoDBDocumentClientCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type TranslateConfig,
} from '@aws-sdk/lib-dynamodb'
import type { Command, Handler, MetadataBearer } from '@smithy/types'

/**
 * The document client the stores use, with each command class's middleware stack resolved once
 * instead of on every call.
 *
 * Why: the SDK resolves a command's middleware stack (the client's middleware and the
 * command's, sorted and composed into one handler) on every `send`. For a document command it
 * does it for the document command and again for the plain command inside it. A CPU profile of
 * the inbox request put that at about a third of the SDK's time per command; a benchmark of
 * GetItem, Query and BatchGetItem with canned answers (`npm run bench:sdk-call`) measured the
 * SDK's CPU per command down from ~300–340 µs to ~160–250 µs with the stack resolved once.
 *
 * Why not the SDK's own option (`cacheMiddleware: true`): it caches the handler that the
 * command's `resolveMiddleware` returns, and a document command's handler is bound to the
 * command it was resolved for (it sends that command's plain command), so every later command of
 * the class would send the first one's input. `DynamoDBDocumentClient` refuses the option for
 * that reason. What this client caches instead is the plain command's handler: it reads the
 * request from the command it is called with (`args.input`: the document command's input,
 * marshalled by the document middleware it carries), so each call sends its own command. The
 * test `test/integration/store/document-client.test.ts` sends different commands of each class
 * through one client and checks each answer, concurrently too.
 *
 * Where it differs from `cacheMiddleware`, so that it can stand in for the SDK's client everywhere:
 * middleware added to (or removed from) the client's stack later, as tests and benchmarks do to
 * count calls, clears the cache, and a command that carries middleware of its own, a call with
 * options or with a callback takes the SDK's usual path. What it shares with it: the handler's
 * context object is shared by the calls of one command class, as the SDK's own cache shares it.
 */
export class CachedDocumentClient extends DynamoDBDocumentClient {
  /** Each document command class's resolved plain-command handler. */
  readonly #handlers = new Map<unknown, Handler<object, ServiceOutputTypes>>()

  protected constructor(client: DynamoDBClient, translateConfig?: TranslateConfig) {
    super(client, translateConfig)
    // The stack (shared with `client`) resolved into the cached handlers: a change to it clears them.
    const stack = this.middlewareStack
    const { add, addRelativeTo, use, remove, removeByTag } = stack
    const clearing =
      <A extends unknown[], R>(change: (...args: A) => R) =>
      (...args: A): R => {
        this.#handlers.clear()
        return change(...args)
      }
    Object.assign(stack, {
      add: clearing(add),
      addRelativeTo: clearing(addRelativeTo),
      use: clearing(use),
      remove: clearing(remove),
      removeByTag: clearing(removeByTag),
    })
  }

  /**
   * A document client over `client` (its configuration and middleware, as
   * `DynamoDBDocumentClient.from`), typed as the SDK's (whose `send` overloads it keeps).
   */
  static override from(client: DynamoDBClient, translateConfig?: TranslateConfig): DynamoDBDocumentClient {
    return new CachedDocumentClient(client, translateConfig)
  }

  /**
   * The SDK's `send` with a promise: a document command without middleware or options of its own
   * takes the cached handler.
   */
  override send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: SendCommand<I, O>,
    options?: RequestOptions,
  ): Promise<O>
  /** The SDK's `send` with a callback: the SDK's usual path. */
  override send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: SendCommand<I, O>,
    cb: Callback<O>,
  ): void
  /** The SDK's `send` with options and a callback: the SDK's usual path. */
  override send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: SendCommand<I, O>,
    options: RequestOptions,
    cb: Callback<O>,
  ): void
  override send(
    command: SendCommand<ServiceInputTypes, ServiceOutputTypes>,
    optionsOrCb?: RequestOptions | Callback<ServiceOutputTypes>,
    cb?: Callback<ServiceOutputTypes>,
  ): Promise<ServiceOutputTypes> | undefined {
    // The SDK's own `send` reads the arguments the same way: a function in second place is the callback.
    if (typeof optionsOrCb === 'function') {
      super.send(command, optionsOrCb)
      return
    }
    if (cb !== undefined) {
      if (optionsOrCb === undefined) super.send(command, cb)
      else super.send(command, optionsOrCb, cb)
      return
    }
    if (optionsOrCb !== undefined || !isDocumentCommand(command)) return super.send(command, optionsOrCb)
    if (command.middlewareStack.identify().length > 0) return super.send(command)
    let handler = this.#handlers.get(command.constructor)
    if (!handler) {
      // What the document command's own `resolveMiddleware` does, keeping the plain command's handler.
      command.addMarshallingMiddleware(this.config)
      const stack = this.middlewareStack.concat(command.middlewareStack)
      handler = command.clientCommand.resolveMiddleware(stack, this.config, undefined)
      this.#handlers.set(command.constructor, handler)
    }
    return handler(command.clientCommand).then((result) => result.output)
  }

  override destroy(): void {
    this.#handlers.clear()
    super.destroy()
  }
}

/**
 * The parts of a `@aws-sdk/lib-dynamodb` document command this client uses (protected members in
 * its type declarations): the plain command it wraps and the middleware that marshals its input
 * and unmarshals its output.
 */
interface DocumentCommandParts {
  clientCommand: {
    input: object
    resolveMiddleware(stack: Stack, config: unknown, options: undefined): Handler<object, ServiceOutputTypes>
  }
  middlewareStack: Stack
  addMarshallingMiddleware(config: unknown): void
}

/** The client's middleware stack, as the document command's resolution takes it. */
type Stack = DynamoDBDocumentClient['middlewareStack']

/** The SDK `send`'s arguments (its last overload, with the command's input and output at their widest). */
type SendArgs = Parameters<DynamoDBDocumentClient['send']>

/** The configuration a command sent through this client is resolved with. */
type CommandConfig =
  SendArgs[0] extends Command<object, object, MetadataBearer, MetadataBearer, infer C> ? C : never

/** A command `send` takes, as the SDK's overloads declare it. */
type SendCommand<I extends ServiceInputTypes, O extends ServiceOutputTypes> = Command<
  ServiceInputTypes,
  I,
  ServiceOutputTypes,
  O,
  CommandConfig
>

/** The options a call of `send` may carry. */
type RequestOptions = SendArgs[1]

/** The callback a call of `send` may take instead of returning a promise. */
type Callback<O> = (err: unknown, data?: O) => void

/**
 * Whether `command` is a `@aws-sdk/lib-dynamodb` document command with the parts this client
 * uses (which its type declarations keep protected).
 */
function isDocumentCommand(command: object): command is DocumentCommandParts {
  if (!(command instanceof DynamoDBDocumentClientCommand)) return false
  const parts: object = command
  return (
    'addMarshallingMiddleware' in parts &&
    typeof parts.addMarshallingMiddleware === 'function' &&
    'clientCommand' in parts &&
    typeof parts.clientCommand === 'object' &&
    parts.clientCommand !== null &&
    'resolveMiddleware' in parts.clientCommand &&
    typeof parts.clientCommand.resolveMiddleware === 'function'
  )
}
