/**
 * URLs with a value typed wrong, one for every parameter of every example
 * route, with the parameter at fault and the text as typed. Each must answer
 * 400 with JSON quoting it: test/examples/routes.test.ts checks that in
 * workerd, and scripts/browser-test.mjs again under `wrangler dev`, where it
 * also checks that none of them logs "Uncaught". Plain data, so Node can
 * import it too.
 */
export const badInputs: [path: string, param: string, value: string][] = [
  ["/base/greet/xx/Ada", "language", "xx"],
  ["/base/greet/constructor/Ada", "language", "constructor"],
  ["/alarms/bad-1/remind?in=abc", "in", "abc"],
  ["/alarms/bad-1/remind?in=", "in", ""],
  ["/alarms/bad-1/remind?in=-1", "in", "-1"],
  ["/alarms/bad-1/remind?in=Infinity", "in", "Infinity"],
  ["/alarms/bad-1/remind?in=1e20", "in", "1e20"],
  ["/alarms/bad-1/remind?in=0x10", "in", "0x10"],
  ["/alarms/bad-1/remind?text=", "text", ""],
  ["/alarms/bad-1/cancel/%E0%A4%A", "id", "%E0%A4%A"],
  ["/alarms/bad-1/offer/o1?price=abc&expires=abc", "price", "abc"],
  ["/alarms/bad-1/offer/o1?price=10&expires=abc", "expires", "abc"],
  ["/alarms/bad-1/offer/o1?price=10&expires=-1", "expires", "-1"],
  ["/alarms/bad-1/offer/o1?price=-10", "price", "-10"],
  ["/alarms/bad-1/offer/o1/maybe", "answer", "maybe"],
  ["/proxy-fetch/api/forecast/Paris?delay=abc", "delay", "abc"],
  ["/proxy-fetch/api/forecast/Paris?status=999", "status", "999"],
  ["/proxy-fetch/api/forecast/Paris?status=2.5", "status", "2.5"],
  ["/proxy-fetch/bad-1/forecast/Paris?timeout=abc", "timeout", "abc"],
  ["/proxy-fetch/bad-1/forecast/Paris?timeout=0", "timeout", "0"],
  ["/proxy-fetch/bad-1/forecast/Paris?delay=soon", "delay", "soon"],
  ["/proxy-fetch/bad-1/forecast/Paris?status=teapot", "status", "teapot"],
  ["/proxy-fetch/bad-1/forecast/Paris?strategy=fastest", "strategy", "fastest"],
  ["/security/teller/bad-1/deposit/abc", "amount", "abc"],
  ["/security/teller/bad-1/deposit/0", "amount", "0"],
  ["/security/teller/bad-1/deposit/99999999999999999999999", "amount", "99999999999999999999999"],
];
