/**
 * structured-clone in one round trip: build a value plain JSON would mangle,
 * turn it into a string (what you would store in SQLite or send over RPC),
 * parse it back, and report what survived.
 */
import { parse, stringify } from "lumenize-do/structured-clone";

interface Order {
  id: string;
  history: Map<string, Date>;
  receipt: Uint8Array;
  failure: Error & { retryable?: boolean };
  customer: { name: string; lastOrder?: Order };
}

export async function roundTripDemo(): Promise<Response> {
  const order: Order = {
    id: "order-42",
    // JSON would turn the Map into {} and the Dates into strings.
    history: new Map([
      ["placed", new Date("2025-01-01T09:00:00Z")],
      ["declined", new Date("2025-01-01T09:05:00Z")],
    ]),
    receipt: new TextEncoder().encode("DECLINED"),
    // A custom name, a cause and an extra property: all three come back.
    failure: Object.assign(new Error("card declined", { cause: new RangeError("over limit") }), {
      name: "PaymentError",
      retryable: true,
    }),
    customer: { name: "Ada" },
  };
  order.customer.lastOrder = order; // a cycle: JSON.stringify would throw

  const text = await stringify(order); // a plain string: store it, send it
  const back = parse(text) as Order;

  const cause = back.failure.cause as Error;
  return Response.json({
    history: [...back.history].map(([event, at]) => `${event} ${at.toISOString()}`),
    datesAreDates: [...back.history.values()].every((at) => at instanceof Date),
    receipt: new TextDecoder().decode(back.receipt),
    receiptIsBytes: back.receipt instanceof Uint8Array,
    cycleKept: back.customer.lastOrder === back,
    error: `${back.failure.name}: ${back.failure.message}`,
    cause: `${cause.name}: ${cause.message}`,
    causeIsRangeError: cause instanceof RangeError,
    retryable: back.failure.retryable,
  });
}
