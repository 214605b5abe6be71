/**
 * An undici interceptor that tells the rate limiter the moment a request's headers go onto a
 * socket. The request carries its limiter ticket as `opaque`, which undici passes through.
 */
import type { Dispatcher } from 'undici';
import type { Ticket } from './limiter.js';

function isTicket(v: unknown): v is Ticket {
  return typeof v === 'object' && v !== null && typeof (v as Ticket).sent === 'function' && typeof (v as Ticket).release === 'function';
}

/** Wraps the handler so that its "about to write on the socket" hook (either handler style) stamps the ticket. */
function tap(handler: Dispatcher.DispatchHandler, ticket: Ticket): Dispatcher.DispatchHandler {
  return new Proxy(handler, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'onConnect' || prop === 'onRequestStart') {
        return (...args: unknown[]) => {
          ticket.sent();
          return bound(...args);
        };
      }
      return bound;
    },
  });
}

export const wireTap: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const ticket = (opts as { opaque?: unknown }).opaque;
  return dispatch(opts, isTicket(ticket) ? tap(handler, ticket) : handler);
};
