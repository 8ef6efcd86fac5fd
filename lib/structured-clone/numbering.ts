/**
 * Numbering objects in the order they are met, for the encoder's references
 * and the plain-JSON check's "met before?".
 */

/** How many objects are compared one by one before a Map takes over. */
const FEW = 32;

type MapWithUpsert = Map<object, number> & { getOrInsert?(key: object, value: number): number };
const nativeGetOrInsert = (Map.prototype as MapWithUpsert).getOrInsert;

/**
 * Objects numbered 0, 1, 2… in the order they were added. The first few are
 * kept in a list and compared one by one: for a small value that is cheaper
 * than hashing each object, and an object hashed for the first time also
 * pays for getting its hash.
 */
export class Numbering {
  readonly #few: object[] = [];
  #many: Map<object, number> | null = null;

  /** How many objects are numbered. */
  get size(): number {
    return this.#many === null ? this.#few.length : this.#many.size;
  }

  /** The number `object` already had, or -1 once it has been given the next one. */
  add(object: object): number {
    const many = this.#many;
    if (many !== null) {
      const next = many.size;
      const number = getOrInsert(many, object, next);
      return number === next ? -1 : number;
    }
    const few = this.#few;
    const number = few.indexOf(object);
    if (number !== -1) return number;
    if (few.push(object) > FEW) this.#many = new Map(few.map((each, i) => [each, i]));
    return -1;
  }

  has(object: object): boolean {
    return this.#many === null ? this.#few.includes(object) : this.#many.has(object);
  }
}

/** `map.get(key)`, after setting it to `value` if it was missing: one lookup where the runtime allows. */
function getOrInsert(map: MapWithUpsert, key: object, value: number): number {
  if (nativeGetOrInsert !== undefined) return nativeGetOrInsert.call(map, key, value);
  const found = map.get(key);
  if (found !== undefined) return found;
  map.set(key, value);
  return value;
}
