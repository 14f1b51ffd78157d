/** Anything ordered by a time key, ties broken by a stable index. */
export interface Keyed {
  key: number;
  readonly index: number;
}

function before(a: Keyed, b: Keyed): boolean {
  return a.key < b.key || (a.key === b.key && a.index < b.index);
}

/**
 * A binary min-heap on (key, index). The index tie-break makes the merge order, and so
 * every id handed out in that order, independent of insertion history.
 */
export class MinHeap<T extends Keyed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (p === undefined || !before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    this.siftDown();
    return top;
  }

  /** Restores the order after the top item's key changed. */
  fixTop(): void {
    if (this.items.length > 1) this.siftDown();
  }

  private siftDown(): void {
    const items = this.items;
    const n = items.length;
    const item = items[0];
    if (item === undefined) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const left = items[l];
      const right = items[r];
      if (left === undefined) break;
      const child = right !== undefined && before(right, left) ? r : l;
      const c = child === r && right !== undefined ? right : left;
      if (!before(c, item)) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}
