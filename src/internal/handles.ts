/**
 * The open state of handles and what each owns. Closing a node closes everything below it, the way
 * ESENT closes a session's databases and a database's cursors.
 */

/** One handle's open state and its children. */
export interface HandleNode {
  readonly kind: "session" | "database" | "cursor"
  open: boolean
  readonly children: Set<HandleNode>
  parent: HandleNode | undefined
}

/** A new open node, attached under `parent` when given. */
export const makeNode = (kind: HandleNode["kind"], parent?: HandleNode): HandleNode => {
  const node: HandleNode = { kind, open: true, children: new Set(), parent }
  parent?.children.add(node)
  return node
}

/** Marks the node and everything below it closed, and detaches it from its parent. */
export const closeTree = (node: HandleNode): void => {
  node.open = false
  for (const child of node.children) closeTree(child)
  node.children.clear()
  node.parent?.children.delete(node)
  node.parent = undefined
}
