/**
 * B+tree traversal. A tree is named by its root page; branch pages hold (separator key, child page)
 * nodes, leaf pages hold (key, data) nodes, and the pages of each level are linked both ways. A
 * {@link TreeCursor} stands on one leaf node and moves in key order in either direction, seeks the
 * first node at or after a key, and refuses to loop: every page it reaches must belong to the same
 * tree, sibling links must agree both ways, and a walk may not visit more pages than the file has.
 * Nodes flagged deleted (removed but not yet cleaned up) are skipped.
 *
 * @module
 */
import { corrupt } from "./errors.ts"
import type { Page } from "./page.ts"
import { TagFlag } from "./page.ts"
import type { PageSource } from "./pages.ts"

/** Compares two byte strings as ESE orders keys: bytewise, a prefix before its extensions. */
export const compareKeys = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!
    if (d !== 0) return d
  }
  return a.byteLength - b.byteLength
}

/** One leaf entry of a tree: its key, its data, and where it is. */
export interface TreeEntry {
  readonly key: Uint8Array
  readonly data: Uint8Array
  readonly pgno: number
  readonly index: number
}

const maxDepth = 64

/**
 * A position in one B+tree. Created unpositioned; {@link first}, {@link last} or {@link seek} place
 * it, {@link next} and {@link previous} move it. Each returns whether it stands on an entry.
 */
export class TreeCursor {
  private readonly pages: PageSource
  /** The tree's root page. */
  readonly root: number
  private readonly objid: number
  private page: Page | undefined
  private index = -1

  constructor(pages: PageSource, root: number) {
    this.pages = pages
    this.root = root
    const rootPage = pages.page(root)
    if (!rootPage.isRoot) corrupt(`page ${root} is named as a tree root but is not flagged root`, root)
    this.objid = rootPage.objidFDP
  }

  /** The entry the cursor stands on, or undefined. */
  get current(): TreeEntry | undefined {
    if (this.page === undefined) return undefined
    const node = this.page.node(this.index)
    return { key: node.key, data: node.data, pgno: this.page.pgno, index: this.index }
  }

  /** Moves to the first entry; false when the tree is empty. */
  first(): boolean {
    this.place(this.descend((page) => (page.nodeCount > 0 ? 0 : -1)), 0)
    return this.settleForward()
  }

  /** Moves to the last entry; false when the tree is empty. */
  last(): boolean {
    const leaf = this.descend((page) => page.nodeCount - 1)
    this.place(leaf, leaf.nodeCount - 1)
    return this.settleBackward()
  }

  /** Moves to the first entry whose key is at or after `key`; false when there is none. */
  seek(key: Uint8Array): boolean {
    const leaf = this.descend((page) => {
      // The first separator at or after the key; the last node covers everything beyond.
      let lo = 0
      let hi = page.nodeCount - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (compareKeys(page.node(mid).key, key) >= 0) hi = mid
        else lo = mid + 1
      }
      return lo
    })
    let lo = 0
    let hi = leaf.nodeCount
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compareKeys(leaf.node(mid).key, key) >= 0) hi = mid
      else lo = mid + 1
    }
    this.place(leaf, lo)
    return this.settleForward()
  }

  /** Moves to the next entry in key order; false (and unpositioned) past the last. */
  next(): boolean {
    if (this.page === undefined) return false
    this.index++
    return this.settleForward()
  }

  /** Moves to the previous entry in key order; false (and unpositioned) before the first. */
  previous(): boolean {
    if (this.page === undefined) return false
    this.index--
    return this.settleBackward()
  }

  /** Forgets the position. */
  reset(): void {
    this.page = undefined
    this.index = -1
  }

  private place(page: Page, index: number): void {
    this.page = page
    this.index = index
  }

  private descend(choose: (page: Page) => number): Page {
    let page = this.pages.page(this.root)
    for (let depth = 0; !page.isLeaf; depth++) {
      if (depth > maxDepth) {
        corrupt(`the tree rooted at page ${this.root} is deeper than ${maxDepth} levels`, page.pgno)
      }
      if (page.nodeCount === 0) corrupt(`branch page without nodes`, page.pgno)
      const choice = Math.min(Math.max(choose(page), 0), page.nodeCount - 1)
      const child = page.child(choice)
      page = this.sibling(child, page.pgno, "child")
    }
    return page
  }

  private sibling(pgno: number, from: number, link: "child" | "next" | "previous"): Page {
    if (pgno < 1 || pgno > this.pages.pageCount) {
      corrupt(`the ${link} link of page ${from} points to page ${pgno}, outside the file`, from)
    }
    const page = this.pages.page(pgno)
    if (page.objidFDP !== this.objid) {
      corrupt(`reached from page ${from} (object ${this.objid}) but belongs to object ${page.objidFDP}`, pgno)
    }
    if (link === "next" && page.prev !== from) {
      corrupt(`next of page ${from}, but its previous link is ${page.prev}`, pgno)
    }
    if (link === "previous" && page.next !== from) {
      corrupt(`previous of page ${from}, but its next link is ${page.next}`, pgno)
    }
    if (link !== "child" && !page.isLeaf) corrupt(`a sibling of leaf page ${from} is not a leaf`, pgno)
    return page
  }

  private settleForward(): boolean {
    let hops = 0
    let page = this.page
    while (page !== undefined) {
      while (this.index < page.nodeCount) {
        if ((page.node(this.index).flags & TagFlag.Deleted) === 0) return true
        this.index++
      }
      if (page.next === 0) break
      if (++hops > this.pages.pageCount) corrupt(`the leaf chain loops`, page.pgno)
      page = this.sibling(page.next, page.pgno, "next")
      this.page = page
      this.index = 0
    }
    this.reset()
    return false
  }

  private settleBackward(): boolean {
    let hops = 0
    let page = this.page
    while (page !== undefined) {
      if (this.index >= page.nodeCount) this.index = page.nodeCount - 1
      while (this.index >= 0) {
        if ((page.node(this.index).flags & TagFlag.Deleted) === 0) return true
        this.index--
      }
      if (page.prev === 0) break
      if (++hops > this.pages.pageCount) corrupt(`the leaf chain loops`, page.pgno)
      page = this.sibling(page.prev, page.pgno, "previous")
      this.page = page
      this.index = page.nodeCount - 1
    }
    this.reset()
    return false
  }
}

/** Every entry of the tree rooted at `root`, in key order (or reverse), read lazily. */
export function* treeEntries(
  pages: PageSource,
  root: number,
  direction: "forward" | "backward" = "forward"
): Generator<TreeEntry> {
  const cursor = new TreeCursor(pages, root)
  let ok = direction === "forward" ? cursor.first() : cursor.last()
  while (ok) {
    yield cursor.current!
    ok = direction === "forward" ? cursor.next() : cursor.previous()
  }
}
