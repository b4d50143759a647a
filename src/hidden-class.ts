/**
 * Keeps adding properties to Express's requests and responses cheap.
 *
 * V8 gives objects of one shape a shared hidden class, and adding a property
 * follows a transition cached on it. Express sets every request's and
 * response's prototype and then adds properties to them, and from there on
 * each request and response gets hidden classes of its own (seen with
 * `%HaveSameMap` on two requests in flight). Every property added later, by
 * Express's router or by a middleware, then copies the object's whole list
 * of property descriptors (three dozen on a request) into yet another hidden
 * class, and every read of a property misses V8's lookup caches, which are
 * keyed by hidden class. A dictionary-mode object has neither cost: adding a
 * property is a hash-table insert, and such objects share one hidden class.
 *
 * {@link toDictionaryModeIfUnshared} puts such objects in dictionary mode.
 * Nothing read from them changes: their properties, with their order and
 * attributes, stay as they were (only a `Proxy` passed as the object sees
 * the probe defined and deleted). Measured on Express 5 (README,
 * "Performance"), the rest of the request then costs about a third fewer
 * instructions.
 */

/** A key nothing else uses: defined and deleted again at once. */
const PROBE = Symbol('cookie-session.probe')
const PROBE_DESCRIPTOR: PropertyDescriptor = Object.freeze({ configurable: true, value: undefined })

/**
 * Turns `object` into a dictionary when its hidden class is one of its own,
 * and leaves it as it was when the class is shared.
 *
 * Deleting the property added last takes an object back to the hidden class
 * it came from, which V8 can do only when it knows that class (a back
 * pointer it keeps along shared transitions). An object whose hidden class
 * was built for it alone has none, and V8 turns it into a dictionary
 * instead. So plain `node:http` and Connect requests, whose hidden classes
 * are shared, are left in fast mode, and only objects like Express's change.
 */
export function toDictionaryModeIfUnshared(object: object): void {
  // Own-property operations, not `object[PROBE] = ...`: no setter or Proxy up
  // the prototype chain is called, and an object that cannot be extended is
  // left alone rather than throwing (a frozen request then fails where 2.1.1
  // failed, on adding `sessionOptions`).
  if (Reflect.defineProperty(object, PROBE, PROBE_DESCRIPTOR)) Reflect.deleteProperty(object, PROBE)
}
