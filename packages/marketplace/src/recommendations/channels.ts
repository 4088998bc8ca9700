import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { RecommendationServiceClient } from '@bookstore/contracts';
import {
  type ChannelCredentials,
  type ChannelOptions,
  connectivityState as State,
  InterceptingCall,
  type Interceptor,
} from '@grpc/grpc-js';
import type { HedgeBudget } from './hedge-budget';
import { recommendationsChannelOptions } from './channel-options';

/** Hedging of Recommend and GetBook (docs/operations.md, "Hedging"). */
export interface HedgingOptions {
  /** How long an attempt may take before a second one goes to another replica. */
  readonly delayMs: number;
  /** Turns hedging off while calls fail (recommendations/hedge-budget.ts). */
  readonly budget: HedgeBudget;
  /** Called for each hedgeable call sent unhedged because the budget is spent. */
  readonly onSuppressed?: () => void;
}

/** The clients of the channels to Recommendations, and which one a hedgeable call takes. */
export interface RecommendationsChannels {
  /** The channel for every call (its service config gives each method its policy). */
  readonly main: RecommendationServiceClient;
  /**
   * For Recommend and GetBook: `main` while it is connected and the budget allows hedging, else
   * the unhedged channel.
   */
  forHedgeableCall(): RecommendationServiceClient;
  /**
   * Connects every channel now (they are idle until asked) and resolves true once all of them
   * are READY, false when `deadline` passes first.
   */
  waitForReady(deadline: Date): Promise<boolean>;
  /** Closes every channel. */
  close(): void;
}

/** Tells the budget how each call ended, however many attempts it took. */
/** The unary calls whose outcomes say whether hedging is affordable; the long-lived streams end at every connection age. */
const BUDGETED = new Set(
  ['Recommend', 'GetBook', 'ListBooks'].map((method) => `/${RECOMMENDATION_SERVICE_NAME}/${method}`),
);

function budgetInterceptor(budget: HedgeBudget): Interceptor {
  return (options, nextCall) =>
    !BUDGETED.has(options.method_definition.path)
      ? new InterceptingCall(nextCall(options))
      : new InterceptingCall(nextCall(options), {
          start: (metadata, _listener, next) =>
            next(metadata, {
              onReceiveStatus: (status, nextStatus) => {
                budget.record(status.code);
                nextStatus(status);
              },
            }),
        });
}

/** grpc-js' waitForReady: asks an idle channel to connect, then watches it until READY or the deadline. */
const readyBy = (client: RecommendationServiceClient, deadline: Date) =>
  new Promise<boolean>((resolve) => client.waitForReady(deadline, (error) => resolve(error == null)));

const allReadyBy = (clients: RecommendationServiceClient[], deadline: Date) =>
  Promise.all(clients.map((client) => readyBy(client, deadline))).then((ready) => ready.every(Boolean));

/**
 * Without hedging, one channel. With it, two to the same target: the main one hedges Recommend
 * and GetBook; the second has only the retry policy, which grpc-js throttles, and takes those
 * calls while the budget is spent (grpc-js cannot switch a channel's policy per call, and its
 * own throttling does not cover hedges).
 */
export function createRecommendationsChannels(options: {
  address: string;
  credentials: ChannelCredentials;
  /** Added to the policy options (TLS: the server name). */
  channelOptions: ChannelOptions;
  /**
   * Client interceptors (the client metrics), outermost first. Tracing is none of them:
   * OpenTelemetry patches grpc-js itself (tracing.ts).
   */
  interceptors: Interceptor[];
  hedging?: HedgingOptions;
}): RecommendationsChannels {
  const { hedging } = options;
  const open = (hedgingDelayMs: number | undefined, interceptors: Interceptor[]) =>
    new RecommendationServiceClient(options.address, options.credentials, {
      ...recommendationsChannelOptions(hedgingDelayMs),
      ...options.channelOptions,
      interceptors,
    });
  if (hedging === undefined) {
    const main = open(undefined, options.interceptors);
    return {
      main,
      forHedgeableCall: () => main,
      waitForReady: (deadline) => allReadyBy([main], deadline),
      close: () => main.close(),
    };
  }
  const interceptors = [...options.interceptors, budgetInterceptor(hedging.budget)];
  const main = open(hedging.delayMs, interceptors);
  const unhedged = open(undefined, interceptors);
  return {
    main,
    forHedgeableCall() {
      // Hedging helps only when attempts leave at once. While `main` connects (at start, after an
      // outage) both attempts would wait and then go to the first replica ready: twice the calls
      // for nothing. `true` makes an idle `main` connect, so later calls find it ready.
      if (main.getChannel().getConnectivityState(true) !== State.READY) return unhedged;
      if (hedging.budget.allowsHedging()) return main;
      hedging.onSuppressed?.();
      return unhedged;
    },
    // Both: the first pages' Recommend calls take `unhedged` until `main` is READY.
    waitForReady: (deadline) => allReadyBy([main, unhedged], deadline),
    close() {
      main.close();
      unhedged.close();
    },
  };
}
